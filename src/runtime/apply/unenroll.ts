/** `unenroll`: cancels the record's runs of another workflow that are under way. */
import type { CommandHandler } from "./scope.js";

export const unenrollHandler: CommandHandler<"unenroll"> = {
  recordsOnly: false,
  async apply(s, c) {
    const { tx, run, record, now } = s;
    const ws = record.workspaceId;
    const target = await tx.workflows.getWorkflowByKey(ws, c.workflow);
    const active = target ? (await tx.runs.activeRunsOf(ws, [record.id])).filter((r) => r.workflowId === target.id) : [];
    await tx.work.insertWorkItems(
      active.map((r) => ({
        workspaceId: ws,
        runId: r.id,
        input: { kind: "cancel", reason: `unenrolled by run ${run.id}` },
        timerId: null,
        dueAt: now,
      })),
    );
    return { command: c.type, workflow: c.workflow, runs: active.map((r) => r.id) };
  },
};
