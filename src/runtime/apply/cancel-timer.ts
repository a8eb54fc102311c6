/** `cancel_timer`: the run no longer waits for its timer. */
import type { CommandHandler } from "./scope.js";

export const cancelTimerHandler: CommandHandler<"cancel_timer"> = {
  recordsOnly: false,
  async apply(s, c) {
    await s.tx.work.cancelTimer(s.record.workspaceId, c.timerId);
    return { command: c.type, timer_id: c.timerId };
  },
};
