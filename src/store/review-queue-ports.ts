/**
 * Storage port of the data review queue (issue 20; docs/data-quality.md, "The review queue").
 *
 * Glossary
 * - Review item: one thing about the data a person should look at — a record that passed a
 *   `warn` validation rule or format, a record missing a required field, a suspected duplicate
 *   pair, or a record a workflow put in the queue — with the reason in words and the facts in
 *   `detail`. Not to be confused with workflow reviews (review-ports.ts: "is this rule still right?").
 * - Subject key: what the item is about, so that the same problem is queued once while it is open:
 *   `rule:<recordId>:<ruleId>`, `format:<recordId>:<field>`, `required:<recordId>:<field>`,
 *   `duplicate:<lowerId>:<higherId>` (the pair's ids in order), `manual:<recordId>:<label>`.
 *   `subjectKeyOf` below builds them; nobody else spells them.
 * - Status: `open` → `resolved` (fixed, or merged) | `dismissed`. A dismissed duplicate pair is
 *   never suggested again (`wasDismissed`); a resolved or dismissed rule item is queued again when
 *   the record fails the rule again.
 */

import type { ReviewKind } from "../crm/review-kinds.js";

export { REVIEW_KINDS, type ReviewKind } from "../crm/review-kinds.js";

export const REVIEW_STATUSES = ["open", "resolved", "dismissed"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_RESOLUTIONS = ["fixed", "merged", "dismissed"] as const;
export type ReviewResolution = (typeof REVIEW_RESOLUTIONS)[number];

export interface ReviewItemRow {
  workspaceId: string;
  id: string;
  kind: ReviewKind;
  subjectKey: string;
  object: string;
  recordId: string;
  /** The other record of a suspected duplicate pair; null for the other kinds. */
  otherRecordId: string | null;
  /** One sentence for the person: "Stage gate "Proposal needs budget": budget_confirmed is not set". */
  reason: string;
  /**
   * The facts, by kind: rule → {ruleId, ruleName, field, message}; format → {field, value, problem};
   * required → {field}; duplicate → {score, keys: string[], fields: {name, similarity}[], ruleId};
   * manual → {label, workflowId?, runId?}.
   */
  detail: unknown;
  status: ReviewStatus;
  resolution: ReviewResolution | null;
  assigneeId: string | null;
  /** Who or what queued it, as an actor ref ("person:u1", "workflow:w1", "integration:t1", "system"). */
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

export interface ReviewItemQuery {
  workspaceId: string;
  status?: ReviewStatus | undefined;
  kind?: ReviewKind | undefined;
  object?: string | undefined;
  /** A person's id, or null for the unassigned. */
  assigneeId?: string | null | undefined;
  /** Items about this record (either side of a pair). */
  recordId?: string | undefined;
  /** Keyset: the created_at and id of the last item of the previous page (newest first). */
  after?: { createdAt: string; id: string } | undefined;
  limit: number;
}

export function subjectKeyOf(kind: ReviewKind, recordId: string, about: string | undefined): string {
  if (kind === "duplicate") {
    const other = about ?? "";
    return recordId < other ? `duplicate:${recordId}:${other}` : `duplicate:${other}:${recordId}`;
  }
  return `${kind}:${recordId}:${about ?? ""}`;
}

export interface ReviewQueueReads {
  getReviewItem(workspaceId: string, id: string): Promise<ReviewItemRow | undefined>;
  /** Newest first. */
  listReviewItems(query: ReviewItemQuery): Promise<ReviewItemRow[]>;
  /** Open items by kind, for the queue's header. */
  countOpenReviewItems(workspaceId: string): Promise<Partial<Record<ReviewKind, number>>>;
  /** Whether a duplicate pair (by subject key) was dismissed before: not suggested again. */
  wasDismissed(workspaceId: string, subjectKey: string): Promise<boolean>;
}

export interface ReviewQueuePort extends ReviewQueueReads {
  /**
   * Queues `item` unless an open item has the same subject key (then returns that item's id and
   * `added: false`). A duplicate pair that was dismissed is not queued (`added: false`, id null).
   */
  addReviewItem(item: ReviewItemRow): Promise<{ added: boolean; id: string | null }>;
  /** Sets or clears the assignee of an open item; false when it is not open. */
  assignReviewItem(workspaceId: string, id: string, assigneeId: string | null): Promise<boolean>;
  /** Closes an open item; false when it was not open (someone else closed it first). */
  closeReviewItem(
    workspaceId: string,
    id: string,
    close: { status: Exclude<ReviewStatus, "open">; resolution: ReviewResolution; by: string; at: string; note: string | null },
  ): Promise<boolean>;
  /**
   * Closes the open items about a record as `resolution` (a merge resolves the pair and the
   * merged record's items; a fix resolves the rule items the record now passes — `subjectKeys`).
   */
  closeReviewItemsByKey(
    workspaceId: string,
    subjectKeys: readonly string[],
    close: { resolution: ReviewResolution; by: string; at: string },
  ): Promise<number>;
}
