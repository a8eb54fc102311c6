/**
 * A value for a field, typed by the field: its options as a select, Yes / No for a boolean, a
 * date or date-and-time input, a number input for numbers, the people picker for a user, a
 * team's select for a team; text otherwise. The value written is the type the format checks
 * (a number, a boolean, an ISO date), never the text of the input.
 */

import type { FieldInfo } from "../../../../records/model";
import { humanize } from "../../../../records/model";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";
import { Choice } from "./Choice";
import { useTeams } from "./directory";
import { PeopleSelect } from "./PersonPicker";

export function ValueInput({
  field,
  value,
  onChange,
  control,
}: {
  field: FieldInfo | undefined;
  value: unknown;
  onChange: (v: unknown) => void;
  control: ControlProps;
}) {
  const text = value === undefined || value === null ? "" : String(value);
  switch (field?.type) {
    case "enum":
      return (
        <Choice
          control={control}
          value={text}
          placeholder="Choose a value…"
          options={(field.options ?? []).map((o) => ({ value: o, label: humanize(o) }))}
          onChange={onChange}
        />
      );
    case "boolean":
      return (
        <select
          {...control}
          className={styles.select}
          value={value === true ? "true" : value === false ? "false" : ""}
          onChange={(e) => onChange(e.target.value === "true")}
        >
          <option value="" disabled>
            Choose…
          </option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
    case "integer":
    case "number":
      return (
        <input
          {...control}
          className={styles.input}
          type="number"
          step={field.type === "integer" ? 1 : "any"}
          value={text}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
    case "date":
      return (
        <input
          {...control}
          className={styles.input}
          type="date"
          value={text.slice(0, 10)}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
      );
    case "datetime":
      return (
        <input
          {...control}
          className={styles.input}
          type="datetime-local"
          value={toLocalInput(text)}
          onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : undefined)}
        />
      );
    case "reference":
      if (field.references?.length === 1 && field.references[0] === "user")
        return <PeopleSelect control={control} value={text} onChange={onChange} />;
      if (field.references?.length === 1 && field.references[0] === "team")
        return <TeamSelect control={control} value={text} onChange={onChange} />;
      return (
        <input
          {...control}
          className={styles.input}
          value={text}
          placeholder="The record's id"
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      return <input {...control} className={styles.input} value={text} onChange={(e) => onChange(e.target.value)} />;
  }
}

export function TeamSelect({ control, value, onChange }: { control: ControlProps; value: string; onChange: (id: string) => void }) {
  const teams = useTeams();
  return (
    <Choice
      control={control}
      value={value}
      loading={teams.isPending}
      placeholder="Choose a team…"
      options={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
      onChange={onChange}
    />
  );
}

/** An ISO instant as the datetime-local input shows it, in the person's own time. */
function toLocalInput(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
