/**
 * Putting something in the data review queue (docs/data-quality.md, "The review queue"), in the
 * caller's transaction: a warn rule or format on a record write, a suspected duplicate pair, a
 * workflow's `add_to_review_queue`, a person's "needs review". The one place that builds the
 * subject key, so that the same problem is queued once while it is open, and that appends the
 * `record.review_queued` event (in the same transaction) when an item enters the queue.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { ReviewQueuedDetail } from "../../store/event-ports.js";
import type { StoreTx } from "../../store/ports.js";
import { type ReviewItemRow, type ReviewKind, subjectKeyOf } from "../../store/review-queue-ports.js";
import type { CallContext } from "../context.js";
import type { IdGenerator } from "../ports.js";

export interface ReviewProblem {
  kind: ReviewKind;
  object: string;
  recordId: string;
  /** The other record of a duplicate pair. */
  otherRecordId?: string | undefined;
  /** What distinguishes this problem on the record: the rule's id, the field, the label. */
  about: string;
  reason: string;
  detail: Record<string, unknown>;
  assigneeId?: string | null | undefined;
}

/** Queues `problem` unless it is open already (or a dismissed pair); the open item's id, or null. */
export async function enqueueReview(
  tx: StoreTx,
  ids: IdGenerator,
  ctx: CallContext,
  at: string,
  problem: ReviewProblem,
): Promise<{ added: boolean; id: string | null }> {
  const other = problem.kind === "duplicate" ? problem.otherRecordId : undefined;
  return enqueueItem(tx, ids, ctx, {
    workspaceId: ctx.workspaceId,
    id: ids.next(),
    kind: problem.kind,
    subjectKey: subjectKeyOf(problem.kind, problem.recordId, other ?? problem.about),
    object: problem.object,
    recordId: problem.recordId,
    otherRecordId: other ?? null,
    reason: problem.reason,
    detail: problem.detail,
    status: "open",
    resolution: null,
    assigneeId: problem.assigneeId ?? null,
    createdBy: `${ctx.actor.kind}:${ctx.actor.id}`,
    createdAt: at,
    resolvedAt: null,
    resolvedBy: null,
    note: null,
  });
}

/**
 * Queues an item built by its caller (a duplicate pair: `duplicates/detect.ts` `pairItem`) unless
 * the same problem is open already, with its `record.review_queued` event when it enters the queue.
 */
export async function enqueueItem(
  tx: StoreTx,
  ids: IdGenerator,
  ctx: CallContext,
  item: ReviewItemRow,
): Promise<{ added: boolean; id: string | null }> {
  const queued = await tx.reviewQueue.addReviewItem(item);
  if (queued.added) {
    // Workflows on `review_queued` see the item once, when it enters the queue.
    const record = await tx.records.getRecord(item.workspaceId, item.recordId);
    const detail: ReviewQueuedDetail = { item_id: item.id, kind: item.kind, reason: item.reason, other_record_id: item.otherRecordId };
    await tx.events.appendEvents([
      {
        id: ids.next(),
        workspaceId: item.workspaceId,
        type: "record.review_queued",
        object: item.object as ObjectName,
        recordId: item.recordId,
        recordVersion: record?.version ?? 0,
        actor: ctx.actor,
        causeId: ctx.causeId,
        changes: [],
        occurredAt: item.createdAt,
        depth: ctx.depth ?? 0,
        source: item.kind,
        detail: { ...detail },
      },
    ]);
  }
  return queued;
}
