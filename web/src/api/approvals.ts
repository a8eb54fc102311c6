/**
 * Approval requests over the API (docs/approvals.md): the inbox's pages, the open count the
 * navigation shows, one request, a decision, a resubmission, and the email link's public
 * inspect / decide. After a person's own change the `approvals` keys are invalidated, so the
 * badge, the inbox and the request page agree at once instead of at the next poll.
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "./client";
import { UNREAD_COUNT_MS } from "./live";

export type ApprovalRequest = Schemas["ApprovalRequest"];
export type ApprovalDetail = Schemas["ApprovalRequestDetail"];
export type ApprovalStatus = ApprovalRequest["status"];
export type ApprovalView = "mine" | "decided" | "submitted" | "all";
export type Decision = "approve" | "reject" | "revise";

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ["pending", "approved", "rejected", "revise", "timed_out", "cancelled"];

export const approvalKeys = {
  all: ["approvals"] as const,
  openCount: ["approvals", "open-count"] as const,
  list: (view: ApprovalView, status: string, object: string) => ["approvals", "list", view, status, object] as const,
  forRecord: (recordId: string, role: string) => ["approvals", "record", recordId, role] as const,
  one: (id: string) => ["approvals", "one", id] as const,
};

/** How many requests wait for the signed-in person's decision: the navigation's badge. */
export const openCountQuery = queryOptions({
  queryKey: approvalKeys.openCount,
  queryFn: async () => unwrap(await api.GET("/api/v1/approvals/open-count")).open,
  refetchInterval: UNREAD_COUNT_MS,
  staleTime: 0,
});

export interface ListFilter {
  view: ApprovalView;
  status?: ApprovalStatus | undefined;
  object?: string | undefined;
  recordId?: string | undefined;
}

export async function listApprovals(filter: ListFilter, before: string | undefined, limit = 50) {
  const query: { view: ApprovalView; limit: string; status?: ApprovalStatus; object?: string; record_id?: string; before?: string } = {
    view: filter.view,
    limit: String(limit),
  };
  if (filter.status) query.status = filter.status;
  if (filter.object) query.object = filter.object;
  if (filter.recordId) query.record_id = filter.recordId;
  if (before) query.before = before;
  return unwrap(await api.GET("/api/v1/approvals", { params: { query } }));
}

/**
 * The pending requests of one record that the caller may see. Admins and managers read them all;
 * a rep's `all` is refused by the API, so a rep reads those they submitted and those waiting on
 * them — what the API lets them open (the 423 of a locked save names the rest).
 */
export async function pendingForRecord(recordId: string, seesAll: boolean): Promise<ApprovalRequest[]> {
  const views: ApprovalView[] = seesAll ? ["all"] : ["submitted", "mine"];
  const pages = await Promise.all(views.map((view) => listApprovals({ view, status: "pending", recordId }, undefined, 20)));
  const byId = new Map(pages.flatMap((p) => p.data).map((r) => [r.id, r]));
  return [...byId.values()];
}

export const approvalQuery = (id: string) =>
  queryOptions({
    queryKey: approvalKeys.one(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/approvals/{id}", { params: { path: { id } } })),
  });

export async function decide(id: string, decision: Decision, comment: string) {
  return unwrap(
    await api.POST("/api/v1/approvals/{id}/decision", {
      params: { path: { id } },
      body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
    }),
  );
}

export async function resubmit(id: string, comment: string) {
  return unwrap(
    await api.POST("/api/v1/approvals/{id}/resubmit", {
      params: { path: { id } },
      body: comment.trim() ? { comment: comment.trim() } : {},
    }),
  );
}

/** What an email link would decide; decides nothing (public: the token is the credential). */
export async function inspectLink(token: string) {
  return unwrap(await api.POST("/approval-links/inspect", { body: { token } }));
}

/** Decides as the email link says; only ever called from the confirmation page's Confirm button. */
export async function decideByLink(token: string, comment: string) {
  return unwrap(await api.POST("/approval-links/decide", { body: { token, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
}

/** After a decision or a resubmission: the badge, the inbox, the record's panel and the request read again. */
export function refreshApprovals(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: approvalKeys.all });
}
