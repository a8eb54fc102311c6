/** `update_record`: writes fields of the run's record. */
import { type CommandHandler, updateRecord } from "./scope.js";

export const updateRecordHandler: CommandHandler<"update_record"> = {
  recordsOnly: true,
  async apply(s, c) {
    const record = await updateRecord(s, c.fields);
    return { command: c.type, record_id: record.id, fields: c.fields };
  },
};
