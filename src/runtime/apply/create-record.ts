/** `create_record`: a new record (a task, an activity, any object), a task owned by the person named. */
import { resolvePerson } from "../people.js";
import type { CommandHandler } from "./scope.js";

export const createRecordHandler: CommandHandler<"create_record"> = {
  recordsOnly: true,
  async apply(s, c) {
    const fields = { ...c.fields };
    if (c.owner && c.object === "task") {
      const owner = await resolvePerson(s.tx, s.record, c.owner, s.now);
      if (owner) fields.owner_id = owner.userId;
    }
    const [created] = await s.writer.createMany(s.call, c.object, [fields], { tx: s.tx, pathOf: () => [] });
    return { command: c.type, object: c.object, record_id: created?.id, fields };
  },
};
