/** `escalate_approval`: the step's timeout adds people who may decide the pending level alone. */
import { applyEvent } from "../../app/approvals/approval-desk.js";
import { resolveApprovers } from "../approvals/approvers.js";
import { ApplyError, type CommandHandler } from "./scope.js";

export const escalateApprovalHandler: CommandHandler<"escalate_approval"> = {
  recordsOnly: false,
  async apply(s, c) {
    const row = await s.tx.approvals.getApprovalRequest(s.record.workspaceId, c.requestId);
    if (!row) throw new ApplyError(`approval request ${c.requestId} not found`);
    const to = await resolveApprovers(s.tx, s.record, c.to, s.now);
    const applied = await applyEvent(s.tx, { ids: s.ids, ask: s.ask }, row, { kind: "escalate", to, at: s.now }, null, s.now);
    // A decision that got in first: the request is no longer pending, nothing to escalate.
    if (!applied.ok && applied.code === "moved") throw new Error(applied.reason);
    const added = applied.ok ? applied.effects.flatMap((e) => (e.type === "ask" ? e.approvers.map((a) => a.name) : [])) : [];
    return { command: c.type, request_id: c.requestId, added };
  },
};
