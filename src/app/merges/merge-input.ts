/**
 * What a merge is asked for, checked before anything is read: the shape every caller (the API,
 * the CLI, the `merge_records` action, duplicate detection) hands `RecordMerges.merge`, and the
 * per-field choices checked against the object's fields, each problem at its path.
 */
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import type { FieldChoice } from "../../store/merge-ports.js";

export interface MergeRequest {
  object: ObjectName;
  survivorId: string;
  mergedId: string;
  /** Per field, whose value wins; a field not named keeps the survivor's, filled from the merged record when the survivor's is empty. */
  fields?: Record<string, FieldChoice>;
}

export const FIELD_CHOICES: readonly FieldChoice[] = ["survivor", "merged"];

/** The fields a merge chooses between: every field of the object except those Handoff manages. */
export const choosable = (fields: readonly FieldDef[]) => fields.filter((f) => !f.managed);

export function checkMergeRequest(req: MergeRequest, fields: readonly FieldDef[]): Issue[] {
  const issues: Issue[] = [];
  if (req.survivorId === req.mergedId)
    issues.push({
      path: ["merged_id"],
      code: "invalid_value",
      message: "a record cannot be merged into itself: name two different records",
    });
  const names = choosable(fields).map((f) => f.name);
  for (const [name, choice] of Object.entries(req.fields ?? {})) {
    const def = fields.find((f) => f.name === name);
    if (!def) {
      issues.push({ path: ["fields", name], code: "unknown_field", message: `${req.object} has no field "${name}"`, expected: names });
    } else if (def.managed) {
      issues.push({
        path: ["fields", name],
        code: "managed_field",
        message: `"${name}" is kept by Handoff: the survivor's stays`,
        expected: names,
      });
    } else if (!FIELD_CHOICES.includes(choice)) {
      issues.push({ path: ["fields", name], code: "invalid_value", message: `choose "survivor" or "merged"`, expected: FIELD_CHOICES });
    }
  }
  return issues;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Whose value each choosable field takes: the caller's choice, else the survivor's unless it is empty and the merged record's is not. */
export function resolveChoices(
  fields: readonly FieldDef[],
  given: Record<string, FieldChoice> | undefined,
  survivor: Readonly<Record<string, unknown>>,
  merged: Readonly<Record<string, unknown>>,
): Record<string, FieldChoice> {
  const out: Record<string, FieldChoice> = {};
  for (const f of choosable(fields)) {
    out[f.name] = given?.[f.name] ?? (isEmpty(survivor[f.name]) && !isEmpty(merged[f.name]) ? "merged" : "survivor");
  }
  return out;
}
