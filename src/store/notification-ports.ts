/**
 * Storage port of in-app notifications.
 *
 * Glossary
 * - Notification: a message to a user (a task assigned, a backlog alert …), optionally about a
 *   record or a run.
 * - Unread: a notification whose `readAt` is null. Marking one read sets `readAt` once; marking it
 *   again keeps the first instant (idempotent).
 * - Inbox: the notifications of one user, newest first (`createdAt`, then `id`, both descending);
 *   a page continues after the (createdAt, id) of the previous page's last one.
 */
import type { NotificationRow } from "./workflow-ports.js";

export interface NotificationQuery {
  workspaceId: string;
  /** One user's notifications; null: the workspace's. */
  userId: string | null;
  /** Only the unread ones. */
  unreadOnly?: boolean;
  /** Continue after this notification (the last one of the previous page). */
  after?: { createdAt: string; id: string };
  limit: number;
}

/** A notification as lists show it: with the object of its record (null when it has none or it was deleted). */
export interface NotificationView extends NotificationRow {
  recordObject: string | null;
}

export interface NotificationReads {
  listNotifications(q: NotificationQuery): Promise<NotificationView[]>;
  /** How many unread notifications the user (null: the workspace) has; one indexed count. */
  countUnreadNotifications(workspaceId: string, userId: string | null): Promise<number>;
}

export interface NotificationPort extends NotificationReads {
  insertNotification(n: NotificationRow): Promise<void>;
  /**
   * Marks the user's notification read at `at` unless it already is; the notification afterwards,
   * or undefined when the user has none by that id in the workspace.
   */
  markNotificationRead(workspaceId: string, userId: string, id: string, at: string): Promise<NotificationView | undefined>;
  /** Marks every unread notification of the user read at `at`; how many it marked. */
  markAllNotificationsRead(workspaceId: string, userId: string, at: string): Promise<number>;
}
