/**
 * The signed-in person's inbox over the API: the unread count (polled by the header), pages of
 * notifications (all or unread only) and marking read. After a change, both are invalidated so
 * the badge and the list agree at once instead of at the next poll.
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { UNREAD_COUNT_MS } from "./live";

export type Notification = Awaited<ReturnType<typeof listNotifications>>["data"][number];

export const notificationKeys = {
  all: ["notifications"] as const,
  unreadCount: ["notifications", "unread-count"] as const,
  list: (unreadOnly: boolean) => ["notifications", "list", unreadOnly ? "unread" : "all"] as const,
};

export const unreadCountQuery = queryOptions({
  queryKey: notificationKeys.unreadCount,
  queryFn: async () => unwrap(await api.GET("/api/v1/notifications/unread-count")).unread,
  refetchInterval: UNREAD_COUNT_MS,
  staleTime: 0,
});

export async function listNotifications(unreadOnly: boolean, cursor: string | undefined) {
  const query: { limit: string; unread?: "true"; cursor?: string } = { limit: "30" };
  if (unreadOnly) query.unread = "true";
  if (cursor) query.cursor = cursor;
  return unwrap(await api.GET("/api/v1/notifications", { params: { query } }));
}

export async function markRead(id: string) {
  return unwrap(await api.POST("/api/v1/notifications/{id}/read", { params: { path: { id } } }));
}

export async function markAllRead() {
  return unwrap(await api.POST("/api/v1/notifications/read-all"));
}

/** After marking: the badge and every inbox page read again. */
export function refreshInbox(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: notificationKeys.all });
}
