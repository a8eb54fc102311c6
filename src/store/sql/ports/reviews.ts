/** The reviews port: workflow reviews, their history, and people's changes for override counts. */
import type { ReviewClaims, ReviewHistoryRow, ReviewPort, ReviewRow } from "../../review-ports.js";
import * as reviews from "../reviews.js";
import type { SqlSession } from "../session.js";

export class SqlReviews implements ReviewPort, ReviewClaims {
  constructor(private readonly s: SqlSession) {}

  getReview(workspaceId: string, workflowId: string) {
    return reviews.getReview(this.s.db, workspaceId, workflowId);
  }
  listReviews(workspaceId: string) {
    return reviews.listReviews(this.s.db, workspaceId);
  }
  listReviewHistory(workspaceId: string, workflowId: string, limit: number) {
    return reviews.listReviewHistory(this.s.db, workspaceId, workflowId, limit);
  }
  personChangesSince(workspaceId: string, since: string, limit: number, until?: string) {
    return reviews.personChangesSince(this.s.db, this.s.d, workspaceId, since, limit, until);
  }
  recordChangesSince(workspaceId: string, recordIds: readonly string[], since: string) {
    return reviews.recordChangesSince(this.s.db, this.s.d, workspaceId, recordIds, since);
  }
  insertReviewIfAbsent(r: ReviewRow) {
    return reviews.insertReviewIfAbsent(this.s.db, r);
  }
  updateReview(r: ReviewRow) {
    return reviews.updateReview(this.s.db, r);
  }
  claimDueReview(workspaceId: string, workflowId: string, dueAt: string) {
    return reviews.claimDueReview(this.s.db, workspaceId, workflowId, dueAt);
  }
  appendReviewHistory(row: ReviewHistoryRow) {
    return reviews.appendReviewHistory(this.s.db, row);
  }
  dueReviews(now: string, limit: number) {
    return reviews.dueReviews(this.s.db, now, limit);
  }
}
