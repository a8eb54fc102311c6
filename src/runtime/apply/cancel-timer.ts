/** `cancel_timer`: the run no longer waits for its timer. Needs no record: a run whose record is gone still cancels it. */
import type { CommandHandler, CommandOf, RecordlessScope } from "./scope.js";

async function cancelTimer(s: RecordlessScope, c: CommandOf<"cancel_timer">) {
  await s.tx.work.cancelTimer(s.run.workspaceId, c.timerId);
  return { command: c.type, timer_id: c.timerId };
}

export const cancelTimerHandler: CommandHandler<"cancel_timer"> = {
  recordsOnly: false,
  apply: cancelTimer,
  applyWithoutRecord: cancelTimer,
};
