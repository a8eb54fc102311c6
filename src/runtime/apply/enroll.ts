/** `enroll`: starts the live version of another workflow for the run's record (one level deeper). */
import type { ObjectName } from "../../crm/fields.js";
import { initialState } from "../../engine/run-state.js";
import { ApplyError, type CommandHandler } from "./scope.js";

export const enrollHandler: CommandHandler<"enroll"> = {
  recordsOnly: false,
  async apply(s, c) {
    const { tx, run, record, now } = s;
    const ws = record.workspaceId;
    const target = await tx.workflows.getWorkflowByKey(ws, c.workflow);
    const version = target?.liveVersion;
    if (!target || !version) throw new ApplyError(`workflow "${c.workflow}" is not published`);
    const def = (await tx.workflows.getVersion(ws, target.id, version))?.definition as { start: string; object: ObjectName } | undefined;
    if (!def || def.object !== record.object)
      throw new ApplyError(`workflow "${c.workflow}" runs on ${def?.object ?? "another object"}, not ${record.object}`);
    const runId = s.ids.next();
    const inserted = await tx.runs.insertRun({
      workspaceId: ws,
      id: runId,
      workflowId: target.id,
      version,
      recordId: record.id,
      triggerKey: `enrolled-by:${run.id}:${run.seq + 1}`,
      state: initialState(def.start),
      seq: 0,
      depth: run.depth + 1,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    });
    if (inserted) await tx.work.insertWorkItems([{ workspaceId: ws, runId, input: { kind: "continue" }, timerId: null, dueAt: now }]);
    return { command: c.type, workflow: c.workflow, run_id: runId };
  },
};
