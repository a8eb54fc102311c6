/**
 * Storage port of in-app notifications.
 *
 * Glossary
 * - Notification: a message to a user (a task assigned, a backlog alert …), optionally about a
 *   record or a run.
 */
import type { NotificationRow } from "./workflow-ports.js";

export interface NotificationReads {
  listNotifications(workspaceId: string, userId: string | null, limit: number): Promise<NotificationRow[]>;
}

export interface NotificationPort extends NotificationReads {
  insertNotification(n: NotificationRow): Promise<void>;
}
