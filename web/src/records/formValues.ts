/**
 * Between a record's values and a form's inputs. A form keeps every input as the text the
 * person typed (so nothing they typed is lost when the server refuses it); on save the text
 * is read as the field's type. Text that cannot be read (letters in a number) is sent as typed
 * and the server names the problem next to the field.
 */
import { typedValue } from "./filters";
import type { FieldInfo } from "./model";

export type FormValues = Record<string, string>;

/** What an input shows for a stored value. */
export function toInput(field: FieldInfo, value: unknown): string {
  if (value === undefined || value === null) return "";
  switch (field.type) {
    case "boolean":
      return value ? "true" : "false";
    case "datetime": {
      if (typeof value !== "string") return String(value);
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return value;
      // datetime-local shows local wall time, without an offset.
      const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
      return local.toISOString().slice(0, 16);
    }
    case "json":
      return JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

/** What the API is sent for an input's text ("" is handled by the caller: omitted or cleared). */
export function fromInput(field: FieldInfo, text: string): unknown {
  if (field.type === "json") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (field.type === "string" || field.type === "text") return text;
  return typedValue(field, text);
}

/** The fields a person fills in: everything Handoff does not maintain itself. */
export function editableFields(fields: readonly FieldInfo[]): FieldInfo[] {
  return fields.filter((f) => !f.managed);
}

export function initialValues(fields: readonly FieldInfo[], record?: Record<string, unknown>): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, toInput(f, record?.[f.name])]));
}

/** A create's body: every filled-in input. */
export function createBody(fields: readonly FieldInfo[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const text = values[f.name] ?? "";
    if (text.trim() !== "") body[f.name] = fromInput(f, text);
  }
  return body;
}

/** An edit's body: only what changed since the record was loaded; an emptied input clears its field (null). */
export function patchBody(fields: readonly FieldInfo[], values: FormValues, loaded: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const text = values[f.name] ?? "";
    if (text === (loaded[f.name] ?? "")) continue;
    body[f.name] = text.trim() === "" ? null : fromInput(f, text);
  }
  return body;
}
