/** `start_timer`: a work item due later, which wakes the run with `timer_fired`. */
import type { CommandHandler } from "./scope.js";

export const startTimerHandler: CommandHandler<"start_timer"> = {
  recordsOnly: false,
  async apply(s, c) {
    await s.tx.work.insertWorkItems([
      {
        workspaceId: s.record.workspaceId,
        runId: s.run.id,
        input: { kind: "timer_fired", timerId: c.timerId },
        timerId: c.timerId,
        dueAt: c.dueAt,
      },
    ]);
    return { command: c.type, timer_id: c.timerId, due_at: c.dueAt };
  },
};
