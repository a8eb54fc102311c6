/** The notifications port. */
import type { NotificationPort } from "../../notification-ports.js";
import type { NotificationRow } from "../../workflow-ports.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlNotifications implements NotificationPort {
  constructor(private readonly s: SqlSession) {}

  listNotifications(workspaceId: string, userId: string | null, limit: number) {
    return wf.listNotifications(this.s.db, workspaceId, userId, limit);
  }
  insertNotification(n: NotificationRow) {
    return wf.insertNotification(this.s.db, n);
  }
}
