/** The inbound hooks port. */
import type { InboundHookPort } from "../../inbound-hook-ports.js";
import type { InboundHookRow } from "../../inbound-ports.js";
import * as hooks from "../inbound-hooks.js";
import type { SqlSession } from "../session.js";

export class SqlInboundHooks implements InboundHookPort {
  constructor(private readonly s: SqlSession) {}

  getInboundHookByKey(key: string) {
    return hooks.getInboundHookByKey(this.s.db, this.s.d, key);
  }
  listInboundHooks(workspaceId: string) {
    return hooks.listInboundHooks(this.s.db, this.s.d, workspaceId);
  }
  insertInboundHook(hook: InboundHookRow) {
    return hooks.insertInboundHook(this.s.db, this.s.d, hook);
  }
  updateInboundHook(hook: InboundHookRow) {
    return hooks.updateInboundHook(this.s.db, this.s.d, hook);
  }
  deleteInboundHook(workspaceId: string, id: string) {
    return hooks.deleteInboundHook(this.s.db, workspaceId, id);
  }
}
