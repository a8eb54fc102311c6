/** The audit port: in a transaction, entries are queued and inserted together before the commit. */
import type { AuditEntry, AuditPort } from "../../audit-ports.js";
import * as log from "../log.js";
import type { SqlSession } from "../session.js";

export class SqlAudit implements AuditPort {
  constructor(private readonly s: SqlSession) {}

  readAudit(workspaceId: string, recordId: string, limit: number) {
    return log.readAudit(this.s.db, this.s.d, workspaceId, recordId, limit);
  }
  auditOfRequest(workspaceId: string, requestId: string, limit: number) {
    return log.readAudit(this.s.db, this.s.d, workspaceId, requestId, limit, true);
  }
  fieldSettings(workspaceId: string, recordIds: readonly string[], field: string) {
    return log.fieldSettings(this.s.db, this.s.d, workspaceId, recordIds, field);
  }
  async appendAudit(entries: readonly AuditEntry[]) {
    if (this.s.uow) this.s.uow.queueAudit(entries);
    else await log.appendAudit(this.s.db, this.s.d, entries);
  }
}
