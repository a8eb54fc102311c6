/**
 * The policy editor's small controls, inside the condition editor's kit (ConditionKit), so each
 * shows the server's problems whose (dotted) path names it, as the builder's panels do: a business
 * time as hours and minutes (and, where asked, days of 24 h of open time), and the values a field
 * may take (an enum's options or Yes / No as checkboxes, other types as a comma-separated list).
 */
import { useState } from "react";
import { type FieldInfo, humanize } from "../../records/model";
import { problemsAt } from "../builder/model/problems";
import { CheckGroup } from "../builder/panels/inputs/CheckGroup";
import { controlId, useKit } from "../builder/panels/kit";
import { PanelField } from "../builder/panels/PanelField";
import type { SlaDuration, Value } from "./draft";
import styles from "./Sla.module.css";

/** The server's messages at a path or below it, under a group of controls (fieldset). */
export function Problems({ path, exact }: { path: string; exact?: boolean }) {
  const kit = useKit();
  const found = problemsAt(kit.problems, path).filter((p) => !exact || p.path === path);
  if (found.length === 0) return null;
  return (
    <span id={`${controlId(path)}-error`} className={styles.error}>
      {found.map((p) => p.message).join(" ")}
    </span>
  );
}

export function problemIds(kit: ReturnType<typeof useKit>, path: string, exact = false): string | undefined {
  return problemsAt(kit.problems, path).some((p) => !exact || p.path === path) ? `${controlId(path)}-error` : undefined;
}

const num = (text: string): number | undefined => (text.trim() === "" ? undefined : Math.max(0, Math.floor(Number(text))));

/**
 * A business time: hours and minutes, with days of 24 h of open time only when `days` is asked
 * for (the target). Its problems (`target`, `escalations[1].after`) under it.
 */
export function DurationFields({
  path,
  legend,
  hint,
  value,
  onChange,
  days = false,
}: {
  path: string;
  legend: string;
  hint?: string;
  value: SlaDuration;
  onChange: (d: SlaDuration) => void;
  days?: boolean;
}) {
  const kit = useKit();
  const id = controlId(path);
  const error = problemIds(kit, path);
  const described = [hint ? `${id}-hint` : "", error ?? ""].filter(Boolean).join(" ") || undefined;
  const part = (key: keyof SlaDuration, label: string) => (
    <label className={styles.durationPart}>
      <input
        id={`${id}-${key}`}
        className={styles.number}
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        disabled={!kit.editable}
        value={value[key] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => {
          const n = num(e.target.value);
          const { [key]: _old, ...rest } = value;
          onChange(n === undefined || Number.isNaN(n) ? rest : { ...rest, [key]: n });
        }}
      />
      <span>{label}</span>
    </label>
  );
  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      <div className={styles.duration}>
        {part("hours", "hours")}
        {part("minutes", "minutes")}
        {days ? part("days", "and days of 24 open hours (not working days)") : null}
      </div>
      <Problems path={path} />
    </fieldset>
  );
}

/** The values a field may take: an enum's options or Yes / No as checkboxes; a comma-separated list otherwise. */
export function ValuesPicker({
  path,
  legend,
  hint,
  field,
  values,
  onChange,
}: {
  path: string;
  legend: string;
  hint?: string;
  field: FieldInfo | undefined;
  values: Value[];
  onChange: (vs: Value[]) => void;
}) {
  if (field?.type === "enum")
    return (
      <CheckGroup
        path={path}
        legend={legend}
        {...(hint ? { hint } : {})}
        options={(field.options ?? []).map((o) => ({ value: o, label: humanize(o) }))}
        checked={values.filter((v): v is string => typeof v === "string")}
        onChange={onChange}
      />
    );
  if (field?.type === "boolean")
    return (
      <CheckGroup
        path={path}
        legend={legend}
        {...(hint ? { hint } : {})}
        options={[
          { value: "true", label: "Yes" },
          { value: "false", label: "No" },
        ]}
        checked={values.map(String).filter((v): v is "true" | "false" => v === "true" || v === "false")}
        onChange={(next) => onChange(next.map((v) => v === "true"))}
      />
    );
  return (
    <PanelField path={path} label={legend} hint={hint ? `${hint} Separate the values with commas.` : "Separate the values with commas."}>
      {(control) => <ListText control={control} field={field} list={values} onChange={onChange} />}
    </PanelField>
  );
}

const parseList = (field: FieldInfo | undefined, text: string): Value[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => ((field?.type === "integer" || field?.type === "number") && !Number.isNaN(Number(s)) ? Number(s) : s));

/** A list typed as text, kept as typed ("open, " while the next value is on its way). */
function ListText({
  control,
  field,
  list,
  onChange,
}: {
  control: Parameters<Parameters<typeof PanelField>[0]["children"]>[0];
  field: FieldInfo | undefined;
  list: Value[];
  onChange: (v: Value[]) => void;
}) {
  const [text, setText] = useState(() => list.map(String).join(", "));
  const shown = JSON.stringify(parseList(field, text)) === JSON.stringify(list) ? text : list.map(String).join(", ");
  return (
    <input
      {...control}
      className={styles.input}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseList(field, e.target.value));
      }}
    />
  );
}
