/** `notify`: an in-app notification to the person named. */
import { resolvePerson } from "../people.js";
import { ApplyError, type CommandHandler } from "./scope.js";

export const notifyHandler: CommandHandler<"notify"> = {
  recordsOnly: true,
  async apply(s, c) {
    const to = await resolvePerson(s.tx, s.record, c.to, s.now);
    if (!to) throw new ApplyError(`nobody to notify: ${JSON.stringify(c.to)} leads to no user`);
    const id = s.ids.next();
    await s.tx.notifications.insertNotification({
      workspaceId: s.record.workspaceId,
      id,
      userId: to.userId,
      message: c.message,
      recordId: s.record.id,
      runId: s.run.id,
      createdAt: s.now,
      readAt: null,
    });
    return { command: c.type, notification_id: id, user_id: to.userId, why: to.why };
  },
};
