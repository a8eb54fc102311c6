/** References between records: checked on every create and update, and in the way of a delete. */
import type { FieldDef, ObjectName } from "../../../crm/fields.js";
import type { Issue } from "../../../crm/issues.js";
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
    for (const { field, id } of list) {
      const target = found.get(id);
      const allowed = field.references ?? [];
      if (!target || !allowed.includes(target.object)) {
        const path = [...pathOf(i), field.name];
        issues.push({ path, code: "invalid_reference", message: `no ${allowed.join(" or ")} with id "${id}"`, expected: allowed });
      }
    }
  });
  if (issues.length > 0) throw invalid(issues, "the request refers to records that do not exist");
  return found;
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
