/** The email engagement tracking port (issue 21). */
import type { EmailTrackingPort, TrackedMessage } from "../../email-tracking-ports.js";
import * as et from "../email-tracking.js";
import type { SqlSession } from "../session.js";

export class SqlEmailTracking implements EmailTrackingPort {
  constructor(private readonly s: SqlSession) {}

  getTrackedMessage(workspaceId: string, id: string) {
    return et.getTrackedMessage(this.s.db, this.s.d, workspaceId, id);
  }
  insertTrackedMessage(m: TrackedMessage) {
    return et.insertTrackedMessage(this.s.db, this.s.d, m);
  }
  markOpened(workspaceId: string, id: string, at: string) {
    return et.markOpened(this.s.db, workspaceId, id, at);
  }
  addClick(workspaceId: string, id: string, link: number, at: string) {
    return et.addClick(this.s.db, workspaceId, id, link, at);
  }
}
