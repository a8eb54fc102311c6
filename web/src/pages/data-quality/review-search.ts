/** The review queue's search (/data-quality/review?status=&kind=&assignee=): its own file, so the router's entry chunk stays without the page. */
import { REVIEW_KINDS, REVIEW_STATUSES, type ReviewKind, type ReviewStatus } from "../../api/review-queue";

export interface ReviewSearch {
  /** Absent: open (the default view). */
  status?: Exclude<ReviewStatus, "open">;
  kind?: ReviewKind;
  assignee?: "me" | "unassigned";
}

/** The router's validateSearch: keeps what has the right shape (a hand-edited URL loses the rest). */
export function readReviewSearch(search: Record<string, unknown>): ReviewSearch {
  const status = REVIEW_STATUSES.find((s) => s !== "open" && s === search.status) as ReviewSearch["status"];
  const kind = REVIEW_KINDS.find((k) => k === search.kind);
  const assignee = search.assignee === "me" || search.assignee === "unassigned" ? search.assignee : undefined;
  return { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(assignee ? { assignee } : {}) };
}
