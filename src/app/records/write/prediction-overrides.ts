/**
 * Corrections of AI predictions (issue 24; docs/ai.md "Corrections"): when a person changes a
 * field that a workflow's `classify` step wrote, to another value, that prediction is marked
 * overridden — once, by whom and when — in the write's transaction. Workflows, integrations and
 * the system writing the field are not corrections. Retraining learns from the field as the
 * person left it; the AI page counts the overrides.
 */
import type { FieldChange, StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";

export async function notePredictionOverrides(
  tx: StoreTx,
  ctx: CallContext,
  record: StoredRecord,
  changes: readonly FieldChange[],
  written: ReadonlySet<string>,
  now: string,
): Promise<void> {
  if (ctx.actor.kind !== "person") return;
  for (const c of changes) {
    if (!written.has(c.field)) continue;
    const value = c.new === null || c.new === undefined ? null : String(c.new);
    await tx.predictions.markOverridden(record.workspaceId, record.id, c.field, value, ctx.actor.id, now);
  }
}
