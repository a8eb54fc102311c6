/**
 * 020 — the unread notifications of a user (issue 14, item 7): a partial index that holds only
 * unread rows, so the header's unread count, the inbox's `unread=true` page and "mark all read"
 * read just those, however many read notifications a user has piled up.
 */
import { type Kysely, type Migration, sql } from "kysely";

export function notificationsUnread(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("notifications_unread")
        .on("notifications")
        .columns(["workspace_id", "user_id", "created_at"])
        .where(sql.ref("read_at"), "is", null)
        .execute();
    },
  };
}
