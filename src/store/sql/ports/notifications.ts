/** The notifications port. */
import type { NotificationPort, NotificationQuery } from "../../notification-ports.js";
import type { NotificationRow } from "../../workflow-ports.js";
import * as notes from "../notifications.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlNotifications implements NotificationPort {
  constructor(private readonly s: SqlSession) {}

  listNotifications(q: NotificationQuery) {
    return notes.listNotifications(this.s.db, q);
  }
  countUnreadNotifications(workspaceId: string, userId: string | null) {
    return notes.countUnreadNotifications(this.s.db, workspaceId, userId);
  }
  insertNotification(n: NotificationRow) {
    return wf.insertNotification(this.s.db, n);
  }
  markNotificationRead(workspaceId: string, userId: string, id: string, at: string) {
    return notes.markNotificationRead(this.s.db, workspaceId, userId, id, at);
  }
  markAllNotificationsRead(workspaceId: string, userId: string, at: string) {
    return notes.markAllNotificationsRead(this.s.db, workspaceId, userId, at);
  }
}
