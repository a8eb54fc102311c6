/**
 * References between records — and names of what the workspace configures (a calendar): checked on
 * every create and update, and in the way of a delete.
 */
import type { FieldDef, ObjectName } from "../../../crm/fields.js";
import type { Issue } from "../../../crm/issues.js";
import { assertNever } from "../../../crm/never.js";
import { OBJECTS } from "../../../crm/objects.js";
import { referencesIn } from "../../../crm/validation.js";
import type { ReferenceProbe, StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import { invalid } from "../../errors.js";

/** Every reference must name an existing record of an allowed object; returns the records found. */
export async function checkReferences(
  tx: StoreTx,
  ctx: CallContext,
  fields: readonly FieldDef[],
  rows: readonly Record<string, unknown>[],
  pathOf: (index: number) => ReadonlyArray<string | number>,
): Promise<Map<string, StoredRecord>> {
  const refs = rows.map((row) => referencesIn(fields, row));
  const ids = refs.flatMap((r) => r.map((x) => x.id));
  const found = new Map((await tx.records.getRecords(ctx.workspaceId, ids)).map((r) => [r.id, r]));
  const issues: Issue[] = [];
  refs.forEach((list, i) => {
    for (const { id, at, allowed } of list) {
      const target = found.get(id);
      if (!target || !allowed.includes(target.object)) {
        const path = [...pathOf(i), ...at];
        issues.push({ path, code: "invalid_reference", message: `no ${allowed.join(" or ")} with id "${id}"`, expected: allowed });
      }
    }
  });
  if (issues.length > 0) throw invalid(issues, "the request refers to records that do not exist");
  return found;
}

/**
 * Every field that names something the workspace configures (`names`: a user's or team's
 * business calendar) names one the workspace has: a 422 naming the field otherwise, like a
 * reference to a record that does not exist.
 */
export async function checkNamedItems(
  tx: StoreTx,
  ctx: CallContext,
  fields: readonly FieldDef[],
  rows: readonly Record<string, unknown>[],
  pathOf: (index: number) => ReadonlyArray<string | number>,
): Promise<void> {
  const named = fields.filter((f) => f.names !== undefined);
  if (named.length === 0 || !rows.some((row) => named.some((f) => typeof row[f.name] === "string"))) return;
  const calendars = (await tx.calendars.listCalendars(ctx.workspaceId)).map((c) => c.name);
  const issues: Issue[] = [];
  rows.forEach((row, i) => {
    for (const f of named) {
      const value = row[f.name];
      if (typeof value !== "string") continue;
      const kind = f.names;
      switch (kind) {
        case "calendar":
          if (!calendars.includes(value))
            issues.push({
              path: [...pathOf(i), f.name],
              code: "invalid_reference",
              message: `no calendar named "${value}" in this workspace${calendars.length > 0 ? `; choose one of: ${calendars.join(", ")}` : " (it has none yet)"}`,
              expected: calendars,
            });
          break;
        case undefined:
          break;
        default:
          assertNever(kind);
      }
    }
  });
  if (issues.length > 0) throw invalid(issues, "the request names things that do not exist");
}

/** Every (object, field) that may point at a record of `object`. */
export function referenceProbesFor(object: ObjectName): ReferenceProbe[] {
  const probes: ReferenceProbe[] = [];
  for (const def of Object.values(OBJECTS)) {
    for (const f of def.fields)
      if (f.type === "reference" && f.references?.includes(object)) probes.push({ object: def.name, field: f.name });
  }
  return probes;
}
