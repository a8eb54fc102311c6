/**
 * The data review queue over the API (docs/data-quality.md "The review queue"): its pages, one
 * record's open items, and what people do to an item — take, give back, assign, resolve, dismiss.
 * After a person's own change the `reviewQueue` keys are invalidated, so the list, the counts and
 * the record page agree at once.
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "./client";
import { LIST_MS } from "./live";

export type ReviewItem = Schemas["ReviewItem"];
export type ReviewKind = ReviewItem["kind"];
export type ReviewStatus = ReviewItem["status"];

export const REVIEW_KINDS: readonly ReviewKind[] = ["duplicate", "rule", "format", "required", "manual"];
export const REVIEW_STATUSES: readonly ReviewStatus[] = ["open", "resolved", "dismissed"];

export const reviewQueueKeys = {
  all: ["reviewQueue"] as const,
  list: (status: string, kind: string, assignee: string) => ["reviewQueue", "list", status, kind, assignee] as const,
  forRecord: (recordId: string) => ["reviewQueue", "record", recordId] as const,
};

export interface ReviewFilter {
  status?: ReviewStatus | undefined;
  kind?: ReviewKind | undefined;
  /** me | unassigned | a user id */
  assignee?: string | undefined;
  recordId?: string | undefined;
}

export async function listReviewItems(filter: ReviewFilter, cursor: string | undefined, limit = 50) {
  const query: { limit: string; status?: ReviewStatus; kind?: ReviewKind; assignee?: string; record_id?: string; cursor?: string } = {
    limit: String(limit),
  };
  if (filter.status) query.status = filter.status;
  if (filter.kind) query.kind = filter.kind;
  if (filter.assignee) query.assignee = filter.assignee;
  if (filter.recordId) query.record_id = filter.recordId;
  if (cursor) query.cursor = cursor;
  return unwrap(await api.GET("/api/v1/review-queue", { params: { query } }));
}

/** A record's open items: the record page's data-quality panel. */
export const recordReviewQuery = (recordId: string) =>
  queryOptions({
    queryKey: reviewQueueKeys.forRecord(recordId),
    queryFn: async () => (await listReviewItems({ recordId, status: "open" }, undefined, 20)).data,
    refetchInterval: LIST_MS,
  });

export async function assignReviewItem(id: string, assigneeId: string | null): Promise<ReviewItem> {
  return unwrap(await api.PATCH("/api/v1/review-queue/{id}", { params: { path: { id } }, body: { assignee_id: assigneeId } }));
}

export async function closeReviewItem(id: string, action: "resolve" | "dismiss", note: string): Promise<ReviewItem> {
  const body = note.trim() === "" ? {} : { note: note.trim() };
  const path = { params: { path: { id } }, body };
  return unwrap(
    action === "resolve"
      ? await api.POST("/api/v1/review-queue/{id}/resolve", path)
      : await api.POST("/api/v1/review-queue/{id}/dismiss", path),
  );
}

export async function addReviewItem(recordId: string, reason: string): Promise<ReviewItem> {
  return unwrap(await api.POST("/api/v1/review-queue", { body: { record_id: recordId, reason } }));
}

export const invalidateReviewQueue = (client: QueryClient) => client.invalidateQueries({ queryKey: reviewQueueKeys.all });
