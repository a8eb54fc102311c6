/** Status rules (migration 041; data-quality-ports.ts): one row per rule, its definition as JSON. */
import type { Kysely } from "kysely";
import type { StatusRuleRow } from "../data-quality-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, StatusRulesTable } from "./schema.js";

type Db = Kysely<Database>;

const toRow = (d: SqlDialect, r: StatusRulesTable): StatusRuleRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  definition: d.parseJson(r.definition) as StatusRuleRow["definition"],
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const columns = (d: SqlDialect, r: StatusRuleRow) => ({
  name: r.definition.name,
  object: r.definition.object,
  enabled: r.definition.enabled ? 1 : 0,
  definition: d.json(r.definition),
  version: r.version,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

export async function listStatusRules(db: Db, d: SqlDialect, workspaceId: string): Promise<StatusRuleRow[]> {
  const rows = await db.selectFrom("status_rules").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toRow(d, r));
}

export async function getStatusRule(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<StatusRuleRow | undefined> {
  const rows = await db
    .selectFrom("status_rules")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  // By id first: a rule named like another's id is still found by its own name.
  const row = rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.name === idOrName);
  return row ? toRow(d, row) : undefined;
}

/** The name's other holder, if any. The unique constraint is the race's last word. */
async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const other = await db
    .selectFrom("status_rules")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return other !== undefined;
}

export async function insertStatusRule(db: Db, d: SqlDialect, r: StatusRuleRow): Promise<boolean> {
  if (await nameTaken(db, r.workspaceId, r.definition.name, r.id)) return false;
  await db
    .insertInto("status_rules")
    .values({ workspace_id: r.workspaceId, id: r.id, created_at: r.createdAt, ...columns(d, r) })
    .execute();
  return true;
}

export async function updateStatusRule(db: Db, d: SqlDialect, r: StatusRuleRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, r.workspaceId, r.definition.name, r.id)) return "name_taken";
  const result = await db
    .updateTable("status_rules")
    .set(columns(d, r))
    .where("workspace_id", "=", r.workspaceId)
    .where("id", "=", r.id)
    .where("version", "=", r.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteStatusRule(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("status_rules").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
