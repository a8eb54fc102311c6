/**
 * Storage port of workflow reviews (issue 19, item 5; docs/workflows.md "Reviews and overrides").
 *
 * Glossary
 * - Review: a published workflow's promise to be looked at again — its owner (a user), its
 *   interval in months and the next review date. Made when the workflow is first published.
 * - Due: the next review date has passed. The due check claims a due review once per due date
 *   (`claimDueReview`: `notified_for` moves to that date in one conditional update) and, in the
 *   same transaction, gives the owner one notification and one task.
 * - Reviewed: someone marked it reviewed with a note — a history row; the next date moves on by
 *   the interval from then, and the due date's task is closed.
 * - Person change: an audit entry by a person, what overrides are counted from (an override is a
 *   person changing a field whose latest writer was a workflow, within the override window).
 */
import type { FieldChange } from "./audit-ports.js";

export interface ReviewRow {
  workspaceId: string;
  workflowId: string;
  /** The user who reviews it; null when nobody is known (published by the system or a token of no user). */
  ownerId: string | null;
  intervalMonths: number;
  nextReviewAt: string;
  /** The due date whose notification and task were made (the claim); null before the first. */
  notifiedFor: string | null;
  /** The open task of the due date, closed when the workflow is marked reviewed. */
  taskId: string | null;
  updatedAt: string;
}

export interface ReviewHistoryRow {
  workspaceId: string;
  id: string;
  workflowId: string;
  /** Who marked it reviewed, as `kind:id` (an actor). */
  reviewedBy: string;
  reviewedAt: string;
  /** The review date it answered. */
  dueAt: string;
  note: string;
}

/** One audit entry as override counting reads it. */
export interface ChangeRow {
  seq: number;
  recordId: string;
  object: string;
  actorKind: string;
  actorId: string;
  /** The write: create, update or delete (overrides count a workflow's updates, not the starting values of what it created). */
  action: string;
  changes: FieldChange[];
  at: string;
}

export interface ReviewReads {
  getReview(workspaceId: string, workflowId: string): Promise<ReviewRow | undefined>;
  listReviews(workspaceId: string): Promise<ReviewRow[]>;
  /** Newest first. */
  listReviewHistory(workspaceId: string, workflowId: string, limit: number): Promise<ReviewHistoryRow[]>;
  /**
   * People's changes at or after `since` (and before `until` when given), newest first, at most
   * `limit` (the partial index audit_log_person_at).
   */
  personChangesSince(workspaceId: string, since: string, limit: number, until?: string): Promise<ChangeRow[]>;
  /** Every change of these records at or after `since`, in order (the index audit_log_record). */
  recordChangesSince(workspaceId: string, recordIds: readonly string[], since: string): Promise<ChangeRow[]>;
}

export interface ReviewPort extends ReviewReads {
  /** Inserts the review unless the workflow has one; whether it did. */
  insertReviewIfAbsent(r: ReviewRow): Promise<boolean>;
  /** Writes owner, interval, next date, task and updated_at of an existing review. */
  updateReview(r: ReviewRow): Promise<void>;
  /**
   * Claims the review due at `dueAt` for its notification and task: succeeds (true) for exactly
   * one caller per (workflow, due date) — the row still has that date and has not been claimed for it.
   */
  claimDueReview(workspaceId: string, workflowId: string, dueAt: string): Promise<boolean>;
  appendReviewHistory(row: ReviewHistoryRow): Promise<void>;
}

/** The store's read of the reviews due now, across workspaces (the due check's candidates). */
export interface ReviewClaims {
  /** Reviews whose date is at or before `now` and not yet claimed for it, at most `limit`. */
  dueReviews(now: string, limit: number): Promise<ReviewRow[]>;
}
