/**
 * Validating a whole record write against its object's fields (built-in and custom).
 * Reference existence needs the store, so it is checked by the records service; everything
 * that can be decided from the input alone is decided here.
 */
import type { FieldDef, ObjectName } from "./fields.js";
import type { Issue } from "./issues.js";
import { checkValue } from "./values.js";

export type WriteMode = "create" | "update";

export type ValidationResult = { ok: true; data: Record<string, unknown> } | { ok: false; issues: Issue[] };

function closest(name: string, candidates: readonly string[]): string | undefined {
  // A cheap hint for typos: same prefix of three characters.
  return candidates.find((c) => c.slice(0, 3) === name.slice(0, 3));
}

/**
 * Checks `input` for a create or an update. On create, defaults are applied and required fields
 * must be present; on update, only the given fields are checked and `null` clears a field.
 */
export function validateWrite(fields: readonly FieldDef[], input: unknown, mode: WriteMode): ValidationResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: [], code: "invalid_type", message: "expected a JSON object of fields", expected: "object" }] };
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  const writable = fields.filter((f) => !f.managed).map((f) => f.name);
  const issues: Issue[] = [];
  const data: Record<string, unknown> = {};

  for (const [name, raw] of Object.entries(input)) {
    const field = byName.get(name);
    if (!field) {
      const hint = closest(name, writable);
      issues.push({
        path: [name],
        code: "unknown_field",
        message: `unknown field "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
        expected: writable,
      });
      continue;
    }
    if (field.managed) {
      issues.push({ path: [name], code: "managed_field", message: `"${name}" is maintained by Handoff and cannot be written` });
      continue;
    }
    if (raw === null || raw === undefined) {
      if (field.required) issues.push({ path: [name], code: "required", message: `"${name}" is required and cannot be cleared` });
      else if (mode === "update") data[name] = null;
      continue;
    }
    const result = checkValue(field, raw);
    if (result.ok) data[name] = result.value;
    else issues.push({ path: [name], ...result.issue });
  }

  if (mode === "create") {
    for (const field of fields) {
      if (field.managed || hasField(data, field.name) || issues.some((i) => i.path[0] === field.name)) continue;
      if (field.default !== undefined) data[field.name] = field.default;
      else if (field.required) issues.push({ path: [field.name], code: "required", message: `"${field.name}" is required` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data };
}

function hasField(data: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(data, name);
}

/** The reference fields among `data` whose value was set, for the existence check. */
export function referencesIn(
  fields: readonly FieldDef[],
  data: Record<string, unknown>,
): Array<{ field: FieldDef; id: string; at: ReadonlyArray<string | number>; allowed: readonly ObjectName[] }> {
  const out: Array<{ field: FieldDef; id: string; at: ReadonlyArray<string | number>; allowed: readonly ObjectName[] }> = [];
  for (const field of fields) {
    const value = data[field.name];
    if (field.type === "reference" && typeof value === "string")
      out.push({ field, id: value, at: [field.name], allowed: field.references ?? [] });
    // An on-call rotation names users in turn: each must be one, like a reference field.
    if (field.shape === "on_call_rotation" && typeof value === "object" && value !== null) {
      const members = (value as { members?: unknown }).members;
      if (Array.isArray(members))
        members.forEach((m, i) => {
          if (typeof m === "string") out.push({ field, id: m, at: [field.name, "members", i], allowed: ["user"] });
        });
    }
  }
  return out;
}
