/**
 * The due check of workflow reviews (issue 19, item 5): when a workflow's review date passes,
 * its owner gets ONE in-app notification and ONE task ("Review workflow X", due then, linking to
 * the workflow) — once per due date however many workers run the check, because each review is
 * claimed for its due date by one conditional update (ReviewPort.claimDueReview) in the same
 * transaction as the task and the notification: a second claimer updates nothing and writes
 * nothing. Runs every minute beside the worker (reviews are due by the day; a minute late is on time).
 */
import type { Logger } from "pino";
import { systemContext } from "../app/context.js";
import type { Clock, IdGenerator, Nudge } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import type { Store } from "../store/ports.js";
import type { ReviewRow } from "../store/review-ports.js";
import { Periodic } from "./periodic.js";

/** Reviews looked at per pass; the rest wait for the next pass. */
const BATCH = 100;

export class ReviewsDue {
  private readonly loop: Periodic;

  constructor(
    private readonly deps: {
      store: Store;
      writer: RecordWriter;
      clock: Clock;
      ids: IdGenerator;
      onCommit: Nudge;
      logger?: Logger | undefined;
    },
    everyMs = 60_000,
  ) {
    this.loop = new Periodic(
      () => this.fireDue(),
      everyMs,
      (error) => this.deps.logger?.warn({ err: error }, "the review due check failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: every review due now and not yet notified for its date; returns how many this pass notified. */
  async fireDue(): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    let fired = 0;
    for (const review of await this.deps.store.reviews.dueReviews(now, BATCH)) if (await this.fire(review, now)) fired++;
    if (fired > 0) this.deps.onCommit();
    return fired;
  }

  /** Claims one review for its due date and, when this caller won the claim, makes its task and notification. */
  private fire(review: ReviewRow, now: string): Promise<boolean> {
    const { store, writer, ids } = this.deps;
    const { workspaceId, workflowId, nextReviewAt: dueAt } = review;
    return store.transaction(async (tx) => {
      if (!(await tx.reviews.claimDueReview(workspaceId, workflowId, dueAt))) return false;
      const workflow = await tx.workflows.getWorkflow(workspaceId, workflowId);
      const owner = review.ownerId ? await tx.records.getRecord(workspaceId, review.ownerId) : undefined;
      // Claimed all the same: archived, or without an owner, there is nobody to tell (the
      // overdue list shows it); setting an owner later does not re-notify this due date.
      if (!workflow || workflow.liveVersion === null || owner?.object !== "user") return true;
      const link = `/workflows/${workflow.id}`;
      const [task] = await writer.createMany(
        systemContext(workspaceId, "reviews"),
        "task",
        [
          {
            subject: `Review workflow ${workflow.name}`,
            description: `The review of ${workflow.name} (${workflow.key}) is due: check that it still does what its description says, look at its overrides, then mark it reviewed at ${link}.`,
            due_at: dueAt,
            owner_id: owner.id,
          },
        ],
        { tx, pathOf: () => [] },
      );
      await tx.reviews.updateReview({ ...review, notifiedFor: dueAt, taskId: task?.id ?? null, updatedAt: now });
      await tx.notifications.insertNotification({
        workspaceId,
        id: ids.next(),
        userId: owner.id,
        message: `Review due — ${workflow.name}: check it still does what it is for and mark it reviewed (${link})`,
        recordId: task?.id ?? null,
        runId: null,
        createdAt: now,
        readAt: null,
      });
      return true;
    });
  }
}
