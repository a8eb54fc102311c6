/** The email suppression list: one row per (workspace, lower-cased address). */
import type { Kysely } from "kysely";
import type { EmailSuppression, SuppressionReason } from "../suppression-ports.js";
import type { Database, EmailSuppressionsTable } from "./schema.js";

type Db = Kysely<Database>;

const norm = (email: string) => email.trim().toLowerCase();

const toSuppression = (r: EmailSuppressionsTable): EmailSuppression => ({
  workspaceId: r.workspace_id,
  email: r.email,
  reason: r.reason as SuppressionReason,
  detail: r.detail,
  createdAt: r.created_at,
});

export async function getSuppression(db: Db, workspaceId: string, email: string) {
  const r = await db
    .selectFrom("email_suppressions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("email", "=", norm(email))
    .executeTakeFirst();
  return r ? toSuppression(r) : undefined;
}

export async function listSuppressions(db: Db, workspaceId: string, limit: number, after?: string) {
  let q = db.selectFrom("email_suppressions").selectAll().where("workspace_id", "=", workspaceId);
  if (after !== undefined) q = q.where("email", ">", norm(after));
  return (await q.orderBy("email").limit(limit).execute()).map(toSuppression);
}

export async function addSuppression(db: Db, s: EmailSuppression) {
  const r = await db
    .insertInto("email_suppressions")
    .values({ workspace_id: s.workspaceId, email: norm(s.email), reason: s.reason, detail: s.detail, created_at: s.createdAt })
    .onConflict((oc) => oc.columns(["workspace_id", "email"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function removeSuppression(db: Db, workspaceId: string, email: string) {
  const r = await db
    .deleteFrom("email_suppressions")
    .where("workspace_id", "=", workspaceId)
    .where("email", "=", norm(email))
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
