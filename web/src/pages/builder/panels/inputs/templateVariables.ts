/**
 * The variables a template may read in a given place, as the engine's publish check allows them
 * (src/engine/checker.ts `template`, src/engine/steps/action.ts `externalRoots`): every template
 * reads `record.<field>` (the object's fields, custom ones included, and id / created_at /
 * updated_at); the templates of external actions (email, chat, HTTP) also read the owner's name,
 * email and calendar link when the object has an owner, and the company's fields when it has a
 * company (or is one).
 */

/** What a variable needs of a field (a FieldInfo has more). */
export interface NamedField {
  name: string;
  label: string;
}

export const EXTERNAL_TEMPLATE_ACTIONS = new Set(["send_email", "send_chat", "http_request"]);

/** The owner's fields an email, chat message or call may show (the engine's EMAIL_OWNER_FIELDS). */
const OWNER_FIELDS = [
  { name: "name", label: "Name" },
  { name: "email", label: "Email" },
  { name: "calendar_link", label: "Calendar link" },
];

export interface VariableGroup {
  label: string;
  variables: { path: string; label: string }[];
}

export function templateVariables(
  object: string,
  action: string,
  fieldsOf: (object: string) => NamedField[],
  objectLabel: (object: string) => string,
): VariableGroup[] {
  const own = fieldsOf(object);
  const groups: VariableGroup[] = [
    { label: `This ${objectLabel(object).toLowerCase()}`, variables: own.map((f) => ({ path: `record.${f.name}`, label: f.label })) },
  ];
  if (!EXTERNAL_TEMPLATE_ACTIONS.has(action)) return groups;
  if (own.some((f) => f.name === "owner_id"))
    groups.push({ label: "Its owner", variables: OWNER_FIELDS.map((f) => ({ path: `owner.${f.name}`, label: f.label })) });
  if (object === "company" || own.some((f) => f.name === "company_id"))
    groups.push({ label: "Its company", variables: fieldsOf("company").map((f) => ({ path: `company.${f.name}`, label: f.label })) });
  return groups;
}
