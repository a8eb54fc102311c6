/** Email engagement tracking: tracked messages and their first clicks (034). */
import type { Kysely } from "kysely";
import type { TrackedMessage } from "../email-tracking-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, TrackedEmailsTable } from "./schema.js";

type Db = Kysely<Database>;

const toMessage = (d: SqlDialect, r: TrackedEmailsTable): TrackedMessage => ({
  workspaceId: r.workspace_id,
  id: r.id,
  recordId: r.record_id,
  runId: r.run_id,
  subject: r.subject,
  links: d.parseJson(r.links) as string[],
  createdAt: r.created_at,
  openedAt: r.opened_at,
});

export async function getTrackedMessage(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const r = await db
    .selectFrom("tracked_emails")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toMessage(d, r) : undefined;
}

export async function insertTrackedMessage(db: Db, d: SqlDialect, m: TrackedMessage) {
  await db
    .insertInto("tracked_emails")
    .values({
      workspace_id: m.workspaceId,
      id: m.id,
      record_id: m.recordId,
      run_id: m.runId,
      subject: m.subject,
      links: d.json(m.links),
      created_at: m.createdAt,
      opened_at: m.openedAt,
    })
    .execute();
}

/** The first open wins the row; a second (concurrent or later) finds `opened_at` set and changes nothing. */
export async function markOpened(db: Db, workspaceId: string, id: string, at: string) {
  const r = await db
    .updateTable("tracked_emails")
    .set({ opened_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("opened_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function addClick(db: Db, workspaceId: string, id: string, link: number, at: string) {
  const r = await db
    .insertInto("tracked_email_clicks")
    .values({ workspace_id: workspaceId, message_id: id, link, clicked_at: at })
    .onConflict((oc) => oc.columns(["workspace_id", "message_id", "link"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
