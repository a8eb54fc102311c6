/**
 * Field definitions: the vocabulary every CRM object is described in.
 * Pure data — validation, filtering, CSV and the API document are all derived from it.
 */

export const FIELD_TYPES = [
  "string",
  "text",
  "email",
  "phone",
  "url",
  "integer",
  "number",
  "boolean",
  "date",
  "datetime",
  "enum",
  "reference",
  "json",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types an admin may choose for a custom field (json and references stay built-in only). */
export const CUSTOM_FIELD_TYPES = [
  "string",
  "text",
  "email",
  "phone",
  "url",
  "integer",
  "number",
  "boolean",
  "date",
  "datetime",
  "enum",
] as const satisfies readonly FieldType[];
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** Must be present on create and may not be cleared. Default false. */
  required?: boolean;
  /** Allowed values for `enum`. */
  options?: readonly string[];
  /** Object names a `reference` may point at (more than one = polymorphic, e.g. a task's related record). */
  references?: readonly ObjectName[];
  /** Maintained by Handoff (e.g. last_activity_at); callers may not write it. Default false. */
  managed?: boolean;
  /** Inclusive numeric bounds for integer / number. */
  min?: number;
  max?: number;
  /** Value applied on create when the caller gives none. */
  default?: unknown;
  /** For `json` fields: which shape the value must have (validated in crm/validation.ts). */
  shape?: JsonShape;
  /** Extra check on a string: an IANA time zone name. */
  format?: "time_zone";
  /**
   * A string that names something the workspace configures rather than a record — today a
   * business calendar (`calendar` on users and teams). Checked against the workspace on every
   * write (app/records/write/references.ts), like a reference.
   */
  names?: "calendar";
  /** True for admin-defined fields. */
  custom?: boolean;
}

export type JsonShape = "working_hours" | "periods" | "string_list" | "on_call_rotation";

export const OBJECT_NAMES = ["user", "team", "company", "contact", "lead", "deal", "ticket", "task", "activity"] as const;
export type ObjectName = (typeof OBJECT_NAMES)[number];

/** Fields every record has, not stored in its data: they can be read, filtered and sorted on. */
export const SYSTEM_FIELDS: readonly FieldDef[] = [
  { name: "id", type: "string", label: "ID", managed: true },
  { name: "created_at", type: "datetime", label: "Created at", managed: true },
  { name: "updated_at", type: "datetime", label: "Updated at", managed: true },
];

export function isObjectName(value: string): value is ObjectName {
  return (OBJECT_NAMES as readonly string[]).includes(value);
}
