/** Connector settings and the configuration audit. */
import type { Kysely, Selectable } from "kysely";
import type { ConfigAuditAction, ConfigAuditEntry, ConnectorRow, NewConfigAuditEntry } from "../connector-ports.js";
import type { ActorKind } from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import type { ConfigAuditTable, ConnectorsTable, Database } from "./schema.js";

type Db = Kysely<Database>;

const toConnector = (d: SqlDialect, r: ConnectorsTable): ConnectorRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  kind: r.kind,
  name: r.name,
  config: d.parseJson(r.config) as Record<string, unknown>,
  secrets: r.secrets,
  secretNames: d.parseJson(r.secret_names) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAudit = (d: SqlDialect, r: Selectable<ConfigAuditTable>): ConfigAuditEntry => ({
  seq: Number(r.seq),
  workspaceId: r.workspace_id,
  id: r.id,
  at: r.at,
  actor: { kind: r.actor_kind as ActorKind, id: r.actor_id },
  requestId: r.request_id,
  entity: r.entity,
  entityId: r.entity_id,
  action: r.action as ConfigAuditAction,
  summary: d.parseJson(r.summary) as Record<string, unknown>,
});

export async function getConnectorByKey(db: Db, d: SqlDialect, workspaceId: string, key: string, forUpdate = false) {
  let q = db.selectFrom("connectors").selectAll().where("workspace_id", "=", workspaceId).where("key", "=", key);
  if (forUpdate && d.rowLocks) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toConnector(d, r) : undefined;
}

export async function listConnectors(db: Db, d: SqlDialect, workspaceId?: string) {
  let q = db.selectFrom("connectors").selectAll();
  if (workspaceId !== undefined) q = q.where("workspace_id", "=", workspaceId);
  const rows = await q.orderBy("workspace_id").orderBy("key").execute();
  return rows.map((r) => toConnector(d, r));
}

export async function insertConnector(db: Db, d: SqlDialect, c: ConnectorRow) {
  await db
    .insertInto("connectors")
    .values({
      workspace_id: c.workspaceId,
      id: c.id,
      key: c.key,
      kind: c.kind,
      name: c.name,
      config: d.json(c.config),
      secrets: c.secrets,
      secret_names: d.json(c.secretNames),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    })
    .execute();
}

export async function updateConnector(db: Db, d: SqlDialect, c: ConnectorRow) {
  const result = await db
    .updateTable("connectors")
    .set({
      name: c.name,
      config: d.json(c.config),
      secrets: c.secrets,
      secret_names: d.json(c.secretNames),
      updated_at: c.updatedAt,
    })
    .where("workspace_id", "=", c.workspaceId)
    .where("id", "=", c.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteConnector(db: Db, workspaceId: string, id: string) {
  const result = await db.deleteFrom("connectors").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function appendConfigAudit(db: Db, d: SqlDialect, entries: readonly NewConfigAuditEntry[]) {
  if (entries.length === 0) return;
  await db
    .insertInto("config_audit")
    .values(
      entries.map((e) => ({
        workspace_id: e.workspaceId,
        id: e.id,
        at: e.at,
        actor_kind: e.actor.kind,
        actor_id: e.actor.id,
        request_id: e.requestId,
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        summary: d.json(e.summary),
      })),
    )
    .execute();
}

export async function readConfigAudit(db: Db, d: SqlDialect, workspaceId: string, limit: number, beforeSeq?: number) {
  let q = db.selectFrom("config_audit").selectAll().where("workspace_id", "=", workspaceId);
  if (beforeSeq !== undefined) q = q.where("seq", "<", beforeSeq);
  const rows = await q.orderBy("seq", "desc").limit(limit).execute();
  return rows.map((r) => toAudit(d, r));
}
