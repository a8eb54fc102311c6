/**
 * `close_approval`: the run ends a pending request from its side — its timeout decided it, or the
 * run was cancelled or met its goal. A request decided just before is left as it was.
 */
import { applyEvent } from "../../app/approvals/approval-desk.js";
import type { CommandHandler } from "./scope.js";

export const closeApprovalHandler: CommandHandler<"close_approval"> = {
  recordsOnly: false,
  async apply(s, c) {
    const row = await s.tx.approvals.getApprovalRequest(s.record.workspaceId, c.requestId);
    if (!row) return { command: c.type, request_id: c.requestId, status: c.status, closed: false };
    const event = { kind: "close" as const, status: c.status, outcome: c.outcome, at: s.now };
    const applied = await applyEvent(s.tx, { ids: s.ids, ask: s.ask }, row, event, null, s.now);
    if (!applied.ok && applied.code === "moved") throw new Error(applied.reason);
    return { command: c.type, request_id: c.requestId, status: c.status, closed: applied.ok };
  },
};
