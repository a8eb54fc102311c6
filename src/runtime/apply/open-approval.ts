/**
 * `open_approval`: the people of each level found now (delegates for whoever is away), the
 * submitter found, the request stored with its tasks and history, and its first level asked.
 * A request nobody could decide (a level with too few approvers) fails the step, naming the level.
 */
import { openApproval } from "../../app/approvals/approval-desk.js";
import { resolveApprovers } from "../approvals/approvers.js";
import { resolvePerson } from "../people.js";
import { ApplyError, type CommandHandler } from "./scope.js";

export const openApprovalHandler: CommandHandler<"open_approval"> = {
  recordsOnly: false,
  async apply(s, c) {
    const submitter = await resolvePerson(s.tx, s.record, c.submitter, s.now);
    const levels = [];
    for (const level of c.levels)
      levels.push({ name: level.name, require: level.require, candidates: await resolveApprovers(s.tx, s.record, level.approvers, s.now) });
    const opened = await openApproval(
      s.tx,
      { ids: s.ids, ask: s.ask },
      {
        workspaceId: s.record.workspaceId,
        id: c.requestId,
        runId: s.run.id,
        workflowId: s.run.workflowId,
        step: s.run.state.step ?? "",
        round: c.round,
        previousId: c.previousId,
        object: s.record.object,
        recordId: s.record.id,
        summary: c.summary,
        stake: c.stake,
        lock: c.lock,
        route: c.route,
        levels,
        submitterId: submitter?.userId ?? null,
        dueAt: c.dueAt,
        now: s.now,
      },
    );
    if (typeof opened === "string") throw new ApplyError(`the approval request cannot be decided by anyone: ${opened}`);
    const first = opened.row.state.levels[0]?.approvers ?? [];
    return { command: c.type, request_id: c.requestId, round: c.round, asked: first.map((a) => a.name), notes: opened.notes };
  },
};
