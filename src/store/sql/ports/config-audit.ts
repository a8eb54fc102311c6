/** The configuration audit port. */
import type { ConfigAuditPort, NewConfigAuditEntry } from "../../config-audit-ports.js";
import * as conn from "../connectors.js";
import type { SqlSession } from "../session.js";

export class SqlConfigAudit implements ConfigAuditPort {
  constructor(private readonly s: SqlSession) {}

  readConfigAudit(workspaceId: string, limit: number, beforeSeq?: number) {
    return conn.readConfigAudit(this.s.db, this.s.d, workspaceId, limit, beforeSeq);
  }
  appendConfigAudit(entries: readonly NewConfigAuditEntry[]) {
    return conn.appendConfigAudit(this.s.db, this.s.d, entries);
  }
}
