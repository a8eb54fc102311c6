/** Inbound hooks: looked up by their global key, listed per workspace. */
import type { Kysely } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { InboundHookRow } from "../inbound-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, InboundHooksTable } from "./schema.js";

type Db = Kysely<Database>;

const toHook = (d: SqlDialect, r: InboundHooksTable): InboundHookRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  name: r.name,
  object: r.object as ObjectName,
  mapping: (d.parseJson(r.mapping) as Record<string, string> | null) ?? null,
  defaults: d.parseJson(r.defaults) as Record<string, unknown>,
  matchOn: r.match_on,
  secretSealed: r.secret_sealed,
  previousSecretSealed: r.previous_secret_sealed,
  previousExpiresAt: r.previous_expires_at,
  ratePerMin: Number(r.rate_per_min),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const columns = (d: SqlDialect, h: InboundHookRow) => ({
  name: h.name,
  object: h.object,
  mapping: h.mapping === null ? null : d.json(h.mapping),
  defaults: d.json(h.defaults),
  match_on: h.matchOn,
  secret_sealed: h.secretSealed,
  previous_secret_sealed: h.previousSecretSealed,
  previous_expires_at: h.previousExpiresAt,
  rate_per_min: h.ratePerMin,
  updated_at: h.updatedAt,
});

export async function getInboundHookByKey(db: Db, d: SqlDialect, key: string) {
  const r = await db.selectFrom("inbound_hooks").selectAll().where("key", "=", key).executeTakeFirst();
  return r ? toHook(d, r) : undefined;
}

export async function listInboundHooks(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db.selectFrom("inbound_hooks").selectAll().where("workspace_id", "=", workspaceId).orderBy("key").execute();
  return rows.map((r) => toHook(d, r));
}

export async function insertInboundHook(db: Db, d: SqlDialect, h: InboundHookRow): Promise<boolean> {
  const result = await db
    .insertInto("inbound_hooks")
    .values({ workspace_id: h.workspaceId, id: h.id, key: h.key, created_at: h.createdAt, ...columns(d, h) })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateInboundHook(db: Db, d: SqlDialect, h: InboundHookRow) {
  await db.updateTable("inbound_hooks").set(columns(d, h)).where("workspace_id", "=", h.workspaceId).where("id", "=", h.id).execute();
}

export async function deleteInboundHook(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("inbound_hooks").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
