/** The sandbox copy port: a workspace read out of this store, or written into it (issue 19). */
import type { SandboxCopyPort, WorkspaceCopy } from "../../sandbox-ports.js";
import * as copy from "../sandbox-copy.js";
import type { SqlSession } from "../session.js";

export class SqlSandboxCopy implements SandboxCopyPort {
  constructor(private readonly s: SqlSession) {}

  readWorkspaceCopy(workspaceId: string, recordIds: readonly string[], referrerCap?: number) {
    return copy.readWorkspaceCopy(this.s.db, workspaceId, recordIds, referrerCap);
  }
  writeWorkspaceCopy(c: WorkspaceCopy) {
    return copy.writeWorkspaceCopy(this.s.db, this.s.d, c);
  }
}
