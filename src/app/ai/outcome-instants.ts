/**
 * When each record a conversion model learns from reached its outcome (docs/ai.md "Conversion
 * models"): the instant its target last changed to the value it has now, read from the audit
 * trail — an entry per write with its field changes, by record through `audit_log_record`, for
 * a page of records in one read. A record created with its outcome already set reached it when
 * it was created (its creation's entry sets the target). Training counts only the activities a
 * record had by then: what follows the decision (an onboarding call after the lead converted, a
 * meeting after it was disqualified) is the decision's consequence, not its evidence.
 *
 * A record whose trail does not say (written before its history was kept, or copied into a
 * sandbox, which copies records but not their trail) is taken at its last change (`updatedAt`):
 * the latest its outcome can have been reached.
 */
import type { StoredRecord, StoreReads } from "../../store/ports.js";

export async function outcomeInstants(
  reads: Pick<StoreReads, "audit">,
  workspaceId: string,
  records: readonly StoredRecord[],
  target: string,
): Promise<Map<string, number>> {
  const settings = await reads.audit.fieldSettings(
    workspaceId,
    records.map((r) => r.id),
    target,
  );
  const current = new Map(records.map((r) => [r.id, r.data[target]]));
  // Oldest first per record: the last setting of the value the record has is when it reached it.
  const reached = new Map<string, number>();
  for (const s of settings) if (s.value === current.get(s.recordId)) reached.set(s.recordId, Date.parse(s.at));
  const out = new Map<string, number>();
  for (const r of records) out.set(r.id, reached.get(r.id) ?? Date.parse(r.updatedAt));
  return out;
}
