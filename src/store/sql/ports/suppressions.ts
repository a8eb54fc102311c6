/** The email suppression list port. */
import type { EmailSuppression, SuppressionPort } from "../../suppression-ports.js";
import type { SqlSession } from "../session.js";
import * as supp from "../suppressions.js";

export class SqlSuppressions implements SuppressionPort {
  constructor(private readonly s: SqlSession) {}

  getSuppression(workspaceId: string, email: string) {
    return supp.getSuppression(this.s.db, workspaceId, email);
  }
  listSuppressions(workspaceId: string, limit: number, after?: string) {
    return supp.listSuppressions(this.s.db, workspaceId, limit, after);
  }
  addSuppression(s: EmailSuppression) {
    return supp.addSuppression(this.s.db, s);
  }
  removeSuppression(workspaceId: string, email: string) {
    return supp.removeSuppression(this.s.db, workspaceId, email);
  }
}
