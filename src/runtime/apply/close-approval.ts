/**
 * `close_approval`: the run ends a pending request (or one sent back) from its side — its timeout
 * decided it, or the run was cancelled, failed, met its goal, or its record was deleted. Needs no
 * record, so that a request whose record is gone closes too (and stops locking, and its email
 * links stop working). A request decided just before is left as it was.
 */
import { applyEvent } from "../../app/approvals/approval-desk.js";
import type { CommandHandler, CommandOf, RecordlessScope } from "./scope.js";

async function closeApproval(s: RecordlessScope, c: CommandOf<"close_approval">) {
  const row = await s.tx.approvals.getApprovalRequest(s.run.workspaceId, c.requestId);
  if (!row) return { command: c.type, request_id: c.requestId, status: c.status, closed: false };
  const event = { kind: "close" as const, status: c.status, outcome: c.outcome, at: s.now };
  const applied = await applyEvent(s.tx, { ids: s.ids, ask: s.ask }, row, event, null, s.now);
  if (!applied.ok && applied.code === "moved") throw new Error(applied.reason);
  return { command: c.type, request_id: c.requestId, status: c.status, closed: applied.ok };
}

export const closeApprovalHandler: CommandHandler<"close_approval"> = {
  recordsOnly: false,
  apply: closeApproval,
  applyWithoutRecord: closeApproval,
};
