/** The data review queue port (issue 20). */
import type { ReviewItemQuery, ReviewItemRow, ReviewQueuePort, ReviewResolution, ReviewStatus } from "../../review-queue-ports.js";
import * as queue from "../review-queue.js";
import type { SqlSession } from "../session.js";

export class SqlReviewQueue implements ReviewQueuePort {
  constructor(private readonly s: SqlSession) {}

  getReviewItem(workspaceId: string, id: string) {
    return queue.getReviewItem(this.s.db, this.s.d, workspaceId, id);
  }
  listReviewItems(query: ReviewItemQuery) {
    return queue.listReviewItems(this.s.db, this.s.d, query);
  }
  countOpenReviewItems(workspaceId: string) {
    return queue.countOpenReviewItems(this.s.db, workspaceId);
  }
  wasDismissed(workspaceId: string, subjectKey: string) {
    return queue.wasDismissed(this.s.db, workspaceId, subjectKey);
  }
  addReviewItem(item: ReviewItemRow) {
    return queue.addReviewItem(this.s.db, this.s.d, item);
  }
  assignReviewItem(workspaceId: string, id: string, assigneeId: string | null) {
    return queue.assignReviewItem(this.s.db, workspaceId, id, assigneeId);
  }
  closeReviewItem(
    workspaceId: string,
    id: string,
    close: { status: Exclude<ReviewStatus, "open">; resolution: ReviewResolution; by: string; at: string; note: string | null },
  ) {
    return queue.closeReviewItem(this.s.db, workspaceId, id, close);
  }
  closeReviewItemsByKey(
    workspaceId: string,
    subjectKeys: readonly string[],
    close: { resolution: ReviewResolution; by: string; at: string },
  ) {
    return queue.closeReviewItemsByKey(this.s.db, workspaceId, subjectKeys, close);
  }
}
