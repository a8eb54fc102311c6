/** Notifications: a user's inbox, its unread count, marking read. */
import type { Kysely } from "kysely";
import type { NotificationQuery, NotificationView } from "../notification-ports.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

/** The notification's row with its record's object (a left join: the record may be gone). */
function selectViews(db: Db, workspaceId: string) {
  return db
    .selectFrom("notifications as n")
    .leftJoin("records as r", (j) => j.onRef("r.workspace_id", "=", "n.workspace_id").onRef("r.id", "=", "n.record_id"))
    .select([
      "n.workspace_id",
      "n.id",
      "n.user_id",
      "n.message",
      "n.record_id",
      "n.run_id",
      "n.created_at",
      "n.read_at",
      "r.object as record_object",
    ])
    .where("n.workspace_id", "=", workspaceId);
}

type ViewRow = {
  workspace_id: string;
  id: string;
  user_id: string;
  message: string;
  record_id: string | null;
  run_id: string | null;
  created_at: string;
  read_at: string | null;
  record_object: string | null;
};

const toView = (r: ViewRow): NotificationView => ({
  workspaceId: r.workspace_id,
  id: r.id,
  userId: r.user_id,
  message: r.message,
  recordId: r.record_id,
  runId: r.run_id,
  createdAt: r.created_at,
  readAt: r.read_at,
  recordObject: r.record_object,
});

export async function listNotifications(db: Db, q: NotificationQuery): Promise<NotificationView[]> {
  let query = selectViews(db, q.workspaceId);
  if (q.userId !== null) query = query.where("n.user_id", "=", q.userId);
  if (q.unreadOnly) query = query.where("n.read_at", "is", null);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb("n.created_at", "<", after.createdAt), eb.and([eb("n.created_at", "=", after.createdAt), eb("n.id", "<", after.id)])]),
    );
  }
  const rows = await query.orderBy("n.created_at", "desc").orderBy("n.id", "desc").limit(q.limit).execute();
  return rows.map(toView);
}

/** The unread count's statement, on its own so a test can read its plan: the partial index `notifications_unread` (migration 020) holds only unread rows. */
export function countUnreadStatement(db: Db, workspaceId: string, userId: string | null) {
  let query = db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("read_at", "is", null);
  if (userId !== null) query = query.where("user_id", "=", userId);
  return query;
}

export async function countUnreadNotifications(db: Db, workspaceId: string, userId: string | null): Promise<number> {
  const row = await countUnreadStatement(db, workspaceId, userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markNotificationRead(
  db: Db,
  workspaceId: string,
  userId: string,
  id: string,
  at: string,
): Promise<NotificationView | undefined> {
  await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .where("read_at", "is", null)
    .execute();
  const row = await selectViews(db, workspaceId).where("n.user_id", "=", userId).where("n.id", "=", id).executeTakeFirst();
  return row ? toView(row) : undefined;
}

export async function markAllNotificationsRead(db: Db, workspaceId: string, userId: string, at: string): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
