/** Outbound webhook subscriptions of a workspace. */
import type { Kysely } from "kysely";
import type { WebhookSubscriptionRow } from "../inbound-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, WebhookSubscriptionsTable } from "./schema.js";

type Db = Kysely<Database>;

const toSub = (d: SqlDialect, r: WebhookSubscriptionsTable): WebhookSubscriptionRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  url: r.url,
  description: r.description,
  events: d.parseJson(r.events) as string[],
  secretSealed: r.secret_sealed,
  active: Number(r.active) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const columns = (d: SqlDialect, s: WebhookSubscriptionRow) => ({
  url: s.url,
  description: s.description,
  events: d.json(s.events),
  secret_sealed: s.secretSealed,
  active: s.active ? 1 : 0,
  updated_at: s.updatedAt,
});

export async function getWebhookSubscription(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const r = await db
    .selectFrom("webhook_subscriptions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toSub(d, r) : undefined;
}

export async function listWebhookSubscriptions(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db.selectFrom("webhook_subscriptions").selectAll().where("workspace_id", "=", workspaceId).orderBy("id").execute();
  return rows.map((r) => toSub(d, r));
}

export async function insertWebhookSubscription(db: Db, d: SqlDialect, s: WebhookSubscriptionRow) {
  await db
    .insertInto("webhook_subscriptions")
    .values({ workspace_id: s.workspaceId, id: s.id, created_at: s.createdAt, ...columns(d, s) })
    .execute();
}

export async function updateWebhookSubscription(db: Db, d: SqlDialect, s: WebhookSubscriptionRow) {
  await db
    .updateTable("webhook_subscriptions")
    .set(columns(d, s))
    .where("workspace_id", "=", s.workspaceId)
    .where("id", "=", s.id)
    .execute();
}

export async function deleteWebhookSubscription(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("webhook_subscriptions")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
