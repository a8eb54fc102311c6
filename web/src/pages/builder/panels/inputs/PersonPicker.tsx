/**
 * Who a task, a notification, an email or an assignment goes to (the format's person spec): a
 * named person (picked from the workspace's people), the user in a field of the record (its
 * owner…), that user's manager, the lead of that user's team, or who is on call in that team.
 */
import type { PersonSpec } from "../../../../components/graph/definition";
import { fieldsOf, useKit } from "../kit";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";
import { Choice } from "./Choice";
import { usePeople } from "./directory";
import { soleEntry } from "./sole-entry";

export const PERSON_KINDS = [
  { key: "field", words: "The user in a field of the record" },
  { key: "user_id", words: "A named person" },
  { key: "manager_of", words: "The manager of the user in a field" },
  { key: "team_lead_of", words: "The team lead of the user in a field" },
  { key: "on_call_of", words: "Who is on call in the team of the user in a field" },
] as const;
export type PersonKind = (typeof PERSON_KINDS)[number]["key"];

export function personKind(p: PersonSpec): PersonKind {
  return soleEntry(p)[0] as PersonKind;
}

export function personValue(p: PersonSpec): string {
  return soleEntry(p)[1];
}

export function makePerson(kind: PersonKind, value: string): PersonSpec {
  switch (kind) {
    case "user_id":
      return { user_id: value };
    case "manager_of":
      return { manager_of: value };
    case "team_lead_of":
      return { team_lead_of: value };
    case "on_call_of":
      return { on_call_of: value };
    case "field":
      return { field: value };
  }
}

/** The record's fields that hold a user (owner_id, assignee_id …), for "the user in a field". */
export function useUserFields(object: string) {
  const kit = useKit();
  return fieldsOf(kit, object)
    .filter((f) => f.type === "reference" && f.references?.includes("user"))
    .map((f) => ({ value: f.name, label: f.label }));
}

/** A select of the workspace's people (the people picker). */
export function PeopleSelect({ control, value, onChange }: { control: ControlProps; value: string; onChange: (id: string) => void }) {
  const people = usePeople();
  return (
    <Choice
      control={control}
      value={value}
      loading={people.isPending}
      placeholder="Choose a person…"
      options={(people.data ?? []).map((p) => ({ value: p.id, label: p.detail ? `${p.name} (${p.detail})` : p.name }))}
      onChange={onChange}
    />
  );
}

/** The kind of person and then the person or the field; `control` wires the kind, the second control is labelled by it. */
export function PersonPicker({
  value,
  onChange,
  control,
  label,
}: {
  value: PersonSpec;
  onChange: (p: PersonSpec) => void;
  control: ControlProps;
  label: string;
}) {
  const kit = useKit();
  const userFields = useUserFields(kit.definition.object);
  const kind = personKind(value);
  const v = personValue(value);
  const second = { ...control, id: `${control.id}-who` };
  return (
    <div className={styles.field}>
      <select
        {...control}
        className={styles.select}
        value={kind}
        onChange={(e) => {
          const k = e.target.value as PersonKind;
          onChange(makePerson(k, k === "user_id" ? "" : (userFields[0]?.value ?? "owner_id")));
        }}
      >
        {PERSON_KINDS.map((k) => (
          <option key={k.key} value={k.key}>
            {k.words}
          </option>
        ))}
      </select>
      <label className={styles.hint} htmlFor={second.id}>
        {kind === "user_id" ? `${label}: person` : `${label}: field of the ${kit.definition.object}`}
      </label>
      {kind === "user_id" ? (
        <PeopleSelect control={second} value={v} onChange={(id) => onChange(makePerson(kind, id))} />
      ) : (
        <Choice
          control={second}
          value={v}
          placeholder="Choose a field…"
          options={userFields}
          onChange={(f) => onChange(makePerson(kind, f))}
        />
      )}
    </div>
  );
}
