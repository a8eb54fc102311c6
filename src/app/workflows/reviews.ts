/**
 * Workflow reviews (issue 19, item 5; docs/workflows.md "Reviews and overrides"): every published
 * workflow has a review owner, an interval (quarterly by default) and a next review date; marking
 * it reviewed keeps who, when and a note, moves the date on by the interval from then and closes
 * the due date's task. Beside each workflow: its overrides of the last 30 days (overrides.ts).
 * The due check that notifies owners is the runtime's (runtime/review-due.ts).
 */
import { DateTime } from "luxon";
import type { ActorKind, ActorRef } from "../../crm/actor.js";
import type { Issue } from "../../crm/issues.js";
import { OBJECTS } from "../../crm/objects.js";
import type { Store, StoreReads, StoreTx } from "../../store/ports.js";
import type { ReviewHistoryRow, ReviewRow } from "../../store/review-ports.js";
import type { WorkflowRow } from "../../store/workflow-ports.js";
import { type CallContext, systemContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { actorNames } from "../records/actor-names.js";
import type { RecordWriter } from "../records/record-writer.js";
import { type Override, readOverrides } from "./overrides.js";

export const DEFAULT_INTERVAL_MONTHS = 3;
/** The intervals a review may have, in months (monthly to yearly). */
export const INTERVALS = [1, 2, 3, 4, 6, 12] as const;
export const REVIEW_NOTE_MAX = 2000;
/** Overrides listed beside a workflow (its count covers all of them). */
const LATEST_OVERRIDES = 5;
const DAY_MS = 86_400_000;

/** `at` plus `months` calendar months in UTC (the 31st → the month's last day). */
export function plusMonths(at: string, months: number): string {
  return DateTime.fromISO(at, { zone: "utc" }).plus({ months }).toJSDate().toISOString();
}

/** Whether `id` names a user of the workspace (a review owner must). */
async function isUser(tx: Pick<StoreReads, "records">, workspaceId: string, id: string): Promise<boolean> {
  const r = await tx.records.getRecord(workspaceId, id);
  return r?.object === "user";
}

/**
 * Called in the publishing transaction: a workflow published for the first time gets its review —
 * owned by the publisher when a person published it, due one interval later. Later publishes keep it.
 */
export async function ensureReview(tx: StoreTx, ctx: CallContext, workflowId: string, now: string): Promise<void> {
  const owner = ctx.actor.kind === "person" && (await isUser(tx, ctx.workspaceId, ctx.actor.id)) ? ctx.actor.id : null;
  await tx.reviews.insertReviewIfAbsent({
    workspaceId: ctx.workspaceId,
    workflowId,
    ownerId: owner,
    intervalMonths: DEFAULT_INTERVAL_MONTHS,
    nextReviewAt: plusMonths(now, DEFAULT_INTERVAL_MONTHS),
    notifiedFor: null,
    taskId: null,
    updatedAt: now,
  });
}

/** A review as the API, the CLI and the web app show it. */
export interface ReviewStatus {
  review: ReviewRow;
  /** The owner's name (null: no owner). */
  ownerName: string | null;
  /** Whole days until the next review date (negative: overdue by that many). */
  dueInDays: number;
  overdue: boolean;
}

export interface ReviewListItem extends ReviewStatus {
  workflow: WorkflowRow;
  overrides: number;
}

export interface ReviewDetail {
  status: ReviewStatus | null;
  /** Newest first, each with the reviewer's name. */
  history: Array<ReviewHistoryRow & { reviewerName: string }>;
  /** The last 30 days' count and the latest few, each with its record's title and the person's name. */
  overrides: {
    count: number;
    /** Each with its record's title, the person's name, and the values' labels when they name a record (an owner's name). */
    latest: Array<Override & { recordTitle: string; byName: string; workflowValueLabel: string | null; personValueLabel: string | null }>;
  };
}

export interface ReviewChange {
  ownerId?: string | null;
  intervalMonths?: number;
}

/** A history row's `kind:id` as an actor (null when it is not one). */
function actorOf(text: string): ActorRef | null {
  const at = text.indexOf(":");
  return at > 0 ? { kind: text.slice(0, at) as ActorKind, id: text.slice(at + 1) } : null;
}

const canManage = (ctx: CallContext) => ctx.role === "admin" || ctx.role === "manager";

export class WorkflowReviews {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly writer: RecordWriter,
  ) {}

  private status(review: ReviewRow, now: Date, names: ReadonlyMap<string, string>): ReviewStatus {
    const ms = Date.parse(review.nextReviewAt) - now.getTime();
    const ownerName = review.ownerId ? (names.get(`person:${review.ownerId}`) ?? review.ownerId) : null;
    return { review, ownerName, dueInDays: Math.floor(ms / DAY_MS), overdue: ms <= 0 };
  }

  private names(workspaceId: string, actors: readonly ActorRef[]) {
    return actorNames(this.store, workspaceId, actors);
  }

  private async ownerNames(workspaceId: string, reviews: readonly ReviewRow[]) {
    const owners = reviews.flatMap((r) => (r.ownerId ? [{ kind: "person" as const, id: r.ownerId }] : []));
    return this.names(workspaceId, owners);
  }

  private async workflowOf(ctx: CallContext, idOrKey: string): Promise<WorkflowRow> {
    const w =
      (await this.store.workflows.getWorkflow(ctx.workspaceId, idOrKey)) ??
      (await this.store.workflows.getWorkflowByKey(ctx.workspaceId, idOrKey));
    if (!w) throw notFound(`workflow ${idOrKey}`);
    return w;
  }

  /** Every reviewed workflow with its status and override count, soonest due first; `overdue`: only those past their date. */
  async list(ctx: CallContext, options: { overdue?: boolean } = {}): Promise<ReviewListItem[]> {
    const now = this.clock.now();
    const workflows = new Map((await this.store.workflows.listWorkflows(ctx.workspaceId)).map((w) => [w.id, w]));
    const counts = new Map<string, number>();
    for (const o of await readOverrides(this.store, ctx.workspaceId, now)) counts.set(o.workflowId, (counts.get(o.workflowId) ?? 0) + 1);
    const items: ReviewListItem[] = [];
    const reviews = await this.store.reviews.listReviews(ctx.workspaceId);
    const names = await this.ownerNames(ctx.workspaceId, reviews);
    for (const review of reviews) {
      const workflow = workflows.get(review.workflowId);
      if (!workflow || workflow.liveVersion === null) continue;
      const status = this.status(review, now, names);
      if (options.overdue && !status.overdue) continue;
      items.push({ ...status, workflow, overrides: counts.get(workflow.id) ?? 0 });
    }
    return items;
  }

  /** A workflow's override counts of the last 30 days, by workflow id (the workflows list shows them). */
  async overrideCounts(ctx: CallContext): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const o of await readOverrides(this.store, ctx.workspaceId, this.clock.now()))
      counts.set(o.workflowId, (counts.get(o.workflowId) ?? 0) + 1);
    return counts;
  }

  /** One workflow's review, its history (newest first) and its overrides (count, the latest few). */
  async detail(ctx: CallContext, idOrKey: string): Promise<ReviewDetail> {
    const workflow = await this.workflowOf(ctx, idOrKey);
    const now = this.clock.now();
    const review = await this.store.reviews.getReview(ctx.workspaceId, workflow.id);
    const mine = (await readOverrides(this.store, ctx.workspaceId, now)).filter((o) => o.workflowId === workflow.id);
    const latest = mine.slice(0, LATEST_OVERRIDES);
    const history = await this.store.reviews.listReviewHistory(ctx.workspaceId, workflow.id, 50);
    const actors: ActorRef[] = [
      ...(review?.ownerId ? [{ kind: "person" as const, id: review.ownerId }] : []),
      ...history.flatMap((h) => actorOf(h.reviewedBy) ?? []),
      ...latest.map((o) => ({ kind: "person" as const, id: o.by })),
    ];
    const names = await this.names(ctx.workspaceId, actors);
    // The records overridden, and the records the values name (an owner id reads as the person's name).
    const values = latest.flatMap((o) => [o.workflowValue, o.personValue]).filter((v): v is string => typeof v === "string");
    const ids = [...new Set([...latest.map((o) => o.recordId), ...values])];
    const records = new Map((await this.store.records.getRecords(ctx.workspaceId, ids)).map((r) => [r.id, r]));
    const titleOf = (id: string) => {
      const r = records.get(id);
      const field = r ? OBJECTS[r.object]?.titleField : undefined;
      return r && field && r.data[field] != null ? String(r.data[field]) : undefined;
    };
    const title = (id: string) => titleOf(id) ?? id;
    const label = (v: unknown) => (typeof v === "string" ? (titleOf(v) ?? null) : null);
    return {
      status: review ? this.status(review, now, names) : null,
      history: history.map((h) => ({ ...h, reviewerName: names.get(h.reviewedBy) ?? h.reviewedBy })),
      overrides: {
        count: mine.length,
        latest: latest.map((o) => ({
          ...o,
          recordTitle: title(o.recordId),
          byName: names.get(`person:${o.by}`) ?? o.by,
          workflowValueLabel: label(o.workflowValue),
          personValueLabel: label(o.personValue),
        })),
      },
    };
  }

  /**
   * Marks the workflow reviewed: who, when, the date it answered and the note; the next date is
   * one interval from now, and the due date's task is closed. Admins, managers and the review's
   * owner may; anyone else may see the workflow but not do this (403).
   */
  async markReviewed(ctx: CallContext, idOrKey: string, note: unknown): Promise<ReviewDetail> {
    const workflow = await this.workflowOf(ctx, idOrKey);
    // Authorised first: the note is checked only for those who may mark it.
    const current = await this.store.reviews.getReview(ctx.workspaceId, workflow.id);
    const owner = ctx.actor.kind === "person" && current?.ownerId === ctx.actor.id;
    if (!canManage(ctx) && !owner)
      throw new AppError("forbidden", `a review is marked by its owner, an admin or a manager, not role ${ctx.role}`);
    if (!current) throw new AppError("conflict", `${workflow.key} has never been published: there is nothing to review yet`);
    const text = typeof note === "string" ? note.trim() : "";
    if (text === "") throw invalid([{ path: ["note"], code: "required", message: "say what was checked: a review needs a note" }]);
    if (text.length > REVIEW_NOTE_MAX)
      throw invalid([{ path: ["note"], code: "too_big", message: `at most ${REVIEW_NOTE_MAX} characters (this one has ${text.length})` }]);
    const now = this.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      const review = (await tx.reviews.getReview(ctx.workspaceId, workflow.id)) ?? current;
      await tx.reviews.appendReviewHistory({
        workspaceId: ctx.workspaceId,
        id: this.ids.next(),
        workflowId: workflow.id,
        reviewedBy: `${ctx.actor.kind}:${ctx.actor.id}`,
        reviewedAt: now,
        dueAt: review.nextReviewAt,
        note: text,
      });
      if (review.taskId) await this.closeTask(tx, ctx.workspaceId, review.taskId);
      await tx.reviews.updateReview({ ...review, nextReviewAt: plusMonths(now, review.intervalMonths), taskId: null, updatedAt: now });
    });
    return this.detail(ctx, workflow.id);
  }

  /** The due date's task, done (unless someone already closed or deleted it). */
  private async closeTask(tx: StoreTx, workspaceId: string, taskId: string) {
    const task = await tx.records.getRecord(workspaceId, taskId);
    const status = (task?.data as { status?: unknown } | undefined)?.status;
    if (!task || status === "done" || status === "cancelled") return;
    await this.writer.update(systemContext(workspaceId, "reviews"), "task", { id: taskId, fields: { status: "done" } }, tx);
  }

  /** Changes the owner and/or the interval (admins only). A new interval moves the next date to the last review (or now) plus it. */
  async update(ctx: CallContext, idOrKey: string, change: ReviewChange): Promise<ReviewDetail> {
    const workflow = await this.workflowOf(ctx, idOrKey);
    if (ctx.role !== "admin") throw new AppError("forbidden", `a review's owner and interval are set by admins, not role ${ctx.role}`);
    const issues: Issue[] = [];
    if (change.intervalMonths !== undefined && !(INTERVALS as readonly number[]).includes(change.intervalMonths))
      issues.push({ path: ["interval_months"], code: "invalid_value", message: `expected one of ${INTERVALS.join(", ")} (months)` });
    if (change.ownerId && !(await isUser(this.store, ctx.workspaceId, change.ownerId)))
      issues.push({ path: ["owner_id"], code: "invalid_value", message: `${change.ownerId} is not a user of this workspace` });
    if (issues.length > 0) throw invalid(issues);
    const now = this.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      const review = await tx.reviews.getReview(ctx.workspaceId, workflow.id);
      if (!review) throw new AppError("conflict", `${workflow.key} has never been published: it has no review yet`);
      let next = review.nextReviewAt;
      if (change.intervalMonths !== undefined && change.intervalMonths !== review.intervalMonths) {
        const [last] = await tx.reviews.listReviewHistory(ctx.workspaceId, workflow.id, 1);
        next = plusMonths(last?.reviewedAt ?? now, change.intervalMonths);
      }
      await tx.reviews.updateReview({
        ...review,
        ownerId: change.ownerId !== undefined ? change.ownerId : review.ownerId,
        intervalMonths: change.intervalMonths ?? review.intervalMonths,
        nextReviewAt: next,
        updatedAt: now,
      });
    });
    return this.detail(ctx, workflow.id);
  }
}
