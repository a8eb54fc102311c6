/** Loads what a workflow's conditions need about a record: the record, referenced records, counts. */
import type { FieldDef } from "../crm/fields.js";
import { recordView } from "../crm/record-view.js";
import { type CompiledWorkflow, factNeeds, type WorkflowNeeds } from "../engine/compile.js";
import type { Facts, FieldChangeFact, Needs } from "../engine/conditions.js";
import type { StoredRecord, StoreReads } from "../store/ports.js";

// The view lives in crm (the connectors render over it too); the matcher and time triggers take it from here.
export { recordView };

/** Audit entries read to rebuild a deleted record (its deletion, and its creation for created_at). */
const LAST_STATE_AUDIT = 1_000;

/**
 * A deleted record as it was just before its deletion: the deletion's audit entry holds every
 * field's last value (old → null). Undefined when the record was not deleted (or never existed).
 */
export async function lastStateOf(reads: StoreReads, workspaceId: string, recordId: string): Promise<StoredRecord | undefined> {
  const entries = await reads.audit.readAudit(workspaceId, recordId, LAST_STATE_AUDIT); // newest first
  const [deletion, before] = entries;
  if (deletion?.action !== "delete") return undefined;
  const data: Record<string, unknown> = {};
  for (const c of deletion.changes) if (c.old !== null && c.old !== undefined) data[c.field] = c.old;
  const created = [...entries].reverse().find((e) => e.action === "create") ?? entries.at(-1) ?? deletion;
  return {
    workspaceId,
    id: recordId,
    object: deletion.object,
    version: entries.length,
    data,
    createdAt: created.at,
    updatedAt: (before ?? deletion).at,
  };
}

const COUNT_LIMIT = 10_000;

const NEEDS = new WeakMap<CompiledWorkflow, WorkflowNeeds>();

/** factNeeds(w), computed once per compiled version. */
export function needsOf(w: CompiledWorkflow): WorkflowNeeds {
  let needs = NEEDS.get(w);
  if (!needs) {
    needs = factNeeds(w);
    NEEDS.set(w, needs);
  }
  return needs;
}

/** Whether the conditions of a workflow with these needs see nothing beyond the record itself. */
export function needsOnlyRecord(needs: Needs): boolean {
  return needs.refs.size === 0 && needs.counts.length === 0;
}

/**
 * `seenRefs`, when given, is filled with the version of each referenced record read (a run step
 * keeps them: the audit trail rebuilds those records for a replay).
 */
export async function loadFacts(
  reads: StoreReads,
  record: StoredRecord,
  needs: Needs,
  nowMs: number,
  changes?: readonly FieldChangeFact[],
  seenRefs?: Record<string, { id: string; version: number } | null>,
): Promise<Facts> {
  const view = recordView(record);
  const refIds = [...needs.refs].map((f) => view[f]).filter((v): v is string => typeof v === "string");
  const found = new Map((await reads.records.getRecords(record.workspaceId, refIds)).map((r) => [r.id, r]));
  const refs: Record<string, Record<string, unknown> | null> = {};
  for (const f of needs.refs) {
    const ref = found.get(view[f] as string);
    refs[f] = ref ? recordView(ref) : null;
    if (seenRefs) seenRefs[f] = ref ? { id: ref.id, version: ref.version } : null;
  }
  const counts: Record<string, number> = {};
  let openItems: Array<{ kind: string }> | undefined;
  for (const c of needs.counts) {
    if (c.review) {
      // One read of the record's open review items serves every review count of the conditions.
      openItems ??= await reads.reviewQueue.listReviewItems({
        workspaceId: record.workspaceId,
        status: "open",
        recordId: record.id,
        limit: COUNT_LIMIT,
      });
      const kinds = c.review.kinds;
      counts[c.key] = kinds ? openItems.filter((i) => kinds.includes(i.kind)).length : openItems.length;
      continue;
    }
    const subject = c.of ? view[c.of] : record.id;
    if (typeof subject !== "string") {
      counts[c.key] = 0;
      continue;
    }
    const via: FieldDef = { name: c.via, type: "reference", label: c.via };
    const rows = await reads.records.queryRecords({
      workspaceId: record.workspaceId,
      object: c.object,
      filter: { field: via, op: "eq", value: subject },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: COUNT_LIMIT,
    });
    counts[c.key] = c.where
      ? rows.filter((r) => c.where?.test({ record: recordView(r), refs: {}, counts: {}, nowMs })).length
      : rows.length;
  }
  return { record: view, refs, counts, nowMs, ...(changes ? { changes } : {}) };
}
