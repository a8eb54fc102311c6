/** `change_score`: adds to a number field of the run's record. */
import { type CommandHandler, updateRecord } from "./scope.js";

export const changeScoreHandler: CommandHandler<"change_score"> = {
  recordsOnly: true,
  async apply(s, c) {
    const now = Number(s.record.data[c.field] ?? 0);
    await updateRecord(s, { [c.field]: now + c.by });
    return { command: c.type, field: c.field, from: now, to: now + c.by };
  },
};
