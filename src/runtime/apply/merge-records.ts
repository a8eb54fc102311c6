/**
 * `merge_records`: the workflow's "merge into" (docs/data-quality.md, "Merging from a workflow").
 * The run's record is merged into another record of its object, which stays — its best open
 * suspected duplicate in the review queue, or the record the step names — through the merge
 * service, in the step's transaction: one merge, audited, undoable, one `record.merged` event on
 * the survivor, the merged record's runs (this one included) ended "merged into …".
 *
 * Field winners are the merge service's default: the survivor's values win, and its empty fields
 * are filled from the merged record. The merge acts as the workflow (role admin, actor
 * `workflow:<id>`) and is authorised by the service exactly as the API's merge is; a record of
 * another workspace is not found, one of another object is refused — the step fails, naming why,
 * and nothing is merged (the transaction rolls back). Nothing to merge into is no failure: the
 * effect says why (`merged: false`) and the run goes on.
 */
import { AppError } from "../../app/errors.js";
import { formatPath } from "../../crm/issues.js";
import type { ReviewItemRow } from "../../store/review-queue-ports.js";
import { ApplyError, type ApplyScope, type CommandHandler, type CommandOf, type Effect } from "./scope.js";

type MergeEffect = Extract<Effect, { command: "merge_records" }>;

/** Duplicate pairs of one record read to choose from: far more than a record has open. */
const PAIRS_READ = 200;

const nothing = (why: string): MergeEffect => ({ command: "merge_records", merged: false, merge_id: null, survivor_id: null, why });

/** The pair's score as its match rule gave it (0 when the item does not say). */
function scoreOf(item: ReviewItemRow): number {
  const d = item.detail as { score?: unknown } | null;
  return typeof d?.score === "number" ? d.score : 0;
}

/** The survivor: the other side of the record's best open duplicate pair that can take it, or why there is none. */
async function bestDuplicate(s: ApplyScope, minScore: number): Promise<{ id: string; why: string } | { none: string }> {
  const { record } = s;
  const items = await s.tx.reviewQueue.listReviewItems({
    workspaceId: record.workspaceId,
    status: "open",
    kind: "duplicate",
    recordId: record.id,
    limit: PAIRS_READ,
  });
  const pairs = items
    .map((item) => ({ item, other: item.recordId === record.id ? item.otherRecordId : item.recordId, score: scoreOf(item) }))
    .filter((p): p is typeof p & { other: string } => typeof p.other === "string" && p.other !== record.id);
  if (pairs.length === 0) return { none: `no open suspected duplicate of this ${record.object} in the review queue` };
  const scored = pairs.filter((p) => p.score >= minScore);
  if (scored.length === 0)
    return { none: `no suspected duplicate scored ${minScore} or more (best ${Math.max(...pairs.map((p) => p.score)).toFixed(2)})` };
  const others = new Map(
    (await s.tx.records.getRecords(record.workspaceId, [...new Set(scored.map((p) => p.other))])).map((r) => [r.id, r]),
  );
  // Highest score first; between equals the pair suspected first.
  scored.sort((a, b) => b.score - a.score || a.item.createdAt.localeCompare(b.item.createdAt) || a.item.id.localeCompare(b.item.id));
  const best = scored.find((p) => others.get(p.other)?.object === record.object);
  if (!best) {
    const kinds = [...new Set(scored.map((p) => others.get(p.other)?.object).filter((o) => o !== undefined))];
    return {
      none: kinds.length
        ? `its suspected duplicates are of another object (${kinds.join(", ")}): a ${record.object} merges only with a ${record.object}`
        : "its suspected duplicates no longer exist",
    };
  }
  return { id: best.other, why: `its suspected duplicate (score ${best.score.toFixed(2)}, review item ${best.item.id})` };
}

async function survivorOf(s: ApplyScope, c: CommandOf<"merge_records">): Promise<{ id: string; why: string } | { none: string }> {
  if ("recordId" in c.into) {
    if (c.into.recordId === "") return { none: "the record id to merge into rendered empty" };
    return { id: c.into.recordId, why: "the record the step names" };
  }
  return bestDuplicate(s, c.into.minScore);
}

export const mergeRecordsHandler: CommandHandler<"merge_records"> = {
  // The merge ends the merged record's runs: it writes work items.
  recordsOnly: false,
  async apply(s, c) {
    if (!s.merge) throw new ApplyError("merge_records: this process has no merge service wired");
    const { record } = s;
    const target = await survivorOf(s, c);
    if ("none" in target) return nothing(`nothing merged: ${target.none}`);
    let mergeId: string;
    try {
      mergeId = await s.merge(s.call, { object: record.object, survivorId: target.id, mergedId: record.id }, s.tx);
    } catch (error) {
      // The caller's (here: the definition's or the data's) problem, said in the step's words; nothing is merged.
      if (error instanceof AppError && error.kind !== "precondition_failed") {
        const details = error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
        throw new ApplyError(
          `merge_records refused: ${record.object} ${record.id} cannot be merged into "${target.id}" (${target.why}): ${error.message}${details ? ` (${details})` : ""}`,
        );
      }
      throw error;
    }
    return {
      command: "merge_records",
      merged: true,
      merge_id: mergeId,
      survivor_id: target.id,
      why: `merged into ${record.object} ${target.id}, ${target.why}`,
    };
  },
};
