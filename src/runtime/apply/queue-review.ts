/**
 * `queue_review`: the workflow's `add_to_review_queue` — the run's record into the data review
 * queue (docs/data-quality.md), as a `manual` item queued by the workflow, once while the same
 * reason (the step's, as written) is open on the record.
 */
import { enqueueReview } from "../../app/review-queue/enqueue.js";
import { resolvePerson } from "../people.js";
import { ApplyError, type CommandHandler } from "./scope.js";

export const queueReviewHandler: CommandHandler<"queue_review"> = {
  recordsOnly: true,
  async apply(s, c) {
    let assigneeId: string | null = null;
    if (c.assignTo) {
      const to = await resolvePerson(s.tx, s.record, c.assignTo, s.now);
      if (!to) throw new ApplyError(`nobody to give the review to: ${JSON.stringify(c.assignTo)} leads to no user`);
      assigneeId = to.userId;
    }
    const queued = await enqueueReview(s.tx, s.ids, s.call, s.now, {
      kind: "manual",
      object: s.record.object,
      recordId: s.record.id,
      about: `workflow:${s.run.workflowId}:${c.label}`,
      reason: c.reason,
      detail: { label: c.label, workflow_id: s.run.workflowId, run_id: s.run.id },
      assigneeId,
    });
    return { command: c.type, item_id: queued.id, added: queued.added, assignee_id: assigneeId };
  },
};
