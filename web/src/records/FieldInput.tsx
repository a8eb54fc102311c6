/**
 * One input for one field, chosen by the field's type: text, number, date, date-time, a select
 * of the options, Yes/No, email, phone, URL, a reference's id (with the referenced record's
 * name shown), JSON — or, for a string that names a business calendar (`names: "calendar"` in
 * `GET /objects`), a select of the workspace's calendars. Required fields say so in their label;
 * the server's messages for the field are written under it and read out with it
 * (aria-invalid, aria-describedby).
 */
import { Label } from "radix-ui";
import type { ReactNode } from "react";
import { ui } from "../components/ui";
import { CALENDAR_HINT, CalendarSelect } from "./CalendarSelect";
import type { FieldInfo } from "./model";
import { humanize } from "./model";
import { ReferenceName } from "./ReferenceName";
import { ReferencePicker } from "./ReferencePicker";
import styles from "./records.module.css";

export interface FieldInputProps {
  field: FieldInfo;
  /** The input's id; its hint and errors use it as a prefix. */
  id: string;
  value: string;
  onChange: (value: string) => void;
  errors?: string[] | undefined;
  /** The record's object (singular), for inputs whose words depend on it. */
  object?: string | undefined;
  /** Shown read-only with this note (a field a scoring model writes): nobody types into it. */
  readOnlyNote?: string | undefined;
}

const HINTS: Partial<Record<FieldInfo["type"], string>> = {
  phone: "With the country code, e.g. +1 202 555 0143.",
  email: "e.g. dana@example.com",
  url: "A full address starting with https://",
  integer: "A whole number.",
  reference: "The record's id (its name appears below), or find it by name.",
  json: "JSON, as the API takes it.",
};

export function FieldInput({ field, id, value, onChange, errors, object, readOnlyNote }: FieldInputProps) {
  if (readOnlyNote !== undefined) return <ReadOnlyField field={field} id={id} value={value} note={readOnlyNote} />;
  const hint = field.names === "calendar" ? CALENDAR_HINT : HINTS[field.type];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = errors && errors.length > 0;
  const described = [hint ? hintId : "", invalid ? errorId : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: field.name,
    "aria-invalid": invalid ? true : undefined,
    "aria-describedby": described,
    "aria-required": field.required ? true : undefined,
  } as const;

  let input: ReactNode;
  switch (field.type) {
    case "enum":
      input = (
        <select {...common} className={ui.input} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? "Choose…" : "—"}</option>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {humanize(o)}
            </option>
          ))}
          {/* A value the options no longer hold stays visible, so the person sees what is stored. */}
          {value !== "" && !(field.options ?? []).includes(value) ? <option value={value}>{value}</option> : null}
        </select>
      );
      break;
    case "boolean":
      input = (
        <select {...common} className={ui.input} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
      break;
    case "text":
    case "json":
      input = <textarea {...common} className={styles.textarea} rows={4} value={value} onChange={(e) => onChange(e.target.value)} />;
      break;
    default:
      input = (
        <input
          {...common}
          className={ui.input}
          type={inputType(field)}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...extra(field)}
        />
      );
  }
  // A string that names a business calendar: the workspace's calendars to choose from.
  if (field.names === "calendar") input = <CalendarSelect {...common} value={value} onChange={onChange} object={object} />;

  return (
    <div className={ui.field}>
      <Label.Root htmlFor={id} className={ui.label}>
        {field.label}
        {field.required ? <span className={styles.required}> (required)</span> : null}
        {field.custom ? <span className={styles.customTag}> (custom field)</span> : null}
      </Label.Root>
      {hint ? (
        <span id={hintId} className={ui.hint}>
          {hint}
        </span>
      ) : null}
      {input}
      {field.type === "reference" ? <ReferenceName field={field} id={value} /> : null}
      {field.type === "reference" ? <ReferencePicker field={field} onPick={onChange} /> : null}
      {invalid ? (
        <span id={errorId} className={ui.fieldError}>
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}

/** A field the form shows but does not let anyone change, with why (its note, read out with it). */
function ReadOnlyField({ field, id, value, note }: { field: FieldInfo; id: string; value: string; note: string }) {
  const noteId = `${id}-note`;
  return (
    <div className={ui.field}>
      <Label.Root htmlFor={id} className={ui.label}>
        {field.label}
        {field.custom ? <span className={styles.customTag}> (custom field)</span> : null}
      </Label.Root>
      <span id={noteId} className={ui.hint}>
        {note}
      </span>
      <input id={id} name={field.name} className={ui.input} type="text" value={value} readOnly aria-describedby={noteId} />
    </div>
  );
}

/**
 * Numbers, emails and URLs stay type="text": the browser's own check would stop the form (or
 * drop what was typed) before the server's message — the one the rest of the app shows — could
 * be seen; `inputMode` still gives phones the right keyboard.
 */
function inputType(field: FieldInfo): string {
  switch (field.type) {
    case "integer":
    case "number":
      return "text";
    case "date":
      return "date";
    case "datetime":
      return "datetime-local";
    case "phone":
      return "tel";
    default:
      return "text";
  }
}

function extra(field: FieldInfo) {
  switch (field.type) {
    case "integer":
      return { inputMode: "numeric" as const, autoComplete: "off" };
    case "number":
      return { inputMode: "decimal" as const, autoComplete: "off" };
    case "email":
      return { inputMode: "email" as const, autoComplete: "off", spellCheck: false };
    case "url":
      return { inputMode: "url" as const, autoComplete: "off", spellCheck: false };
    case "reference":
      return { autoComplete: "off", spellCheck: false };
    default:
      return {};
  }
}
