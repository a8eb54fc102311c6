/** SQL of the AI models (issue 24): one row per model, its definition and training as JSON. */
import type { Kysely, Selectable } from "kysely";
import type { AiModelHead, AiModelRow } from "../ai-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { AiModelsTable, Database } from "./schema.js";

type Db = Kysely<Database>;

const toRow = (d: SqlDialect, r: Selectable<AiModelsTable>): AiModelRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  name: r.name,
  object: r.object,
  target: r.target,
  enabled: Number(r.enabled) === 1,
  definition: d.parseJson(r.definition),
  trained: r.trained === null ? null : d.parseJson(r.trained),
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function listAiModels(db: Db, d: SqlDialect, workspaceId: string): Promise<AiModelRow[]> {
  const rows = await db.selectFrom("ai_models").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toRow(d, r));
}

export async function getAiModel(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<AiModelRow | undefined> {
  const r = await db
    .selectFrom("ai_models")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .orderBy("id")
    .executeTakeFirst();
  return r ? toRow(d, r) : undefined;
}

export async function getAiModelHead(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<AiModelHead | undefined> {
  const r = await db
    .selectFrom("ai_models")
    .select([
      "workspace_id",
      "id",
      "name",
      "object",
      "target",
      "enabled",
      "definition",
      "version",
      "created_at",
      "updated_at",
      "updated_by",
    ])
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .orderBy("id")
    .executeTakeFirst();
  if (!r) return undefined;
  const { trained: _trained, ...head } = toRow(d, { ...r, trained: null });
  return head;
}

async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const r = await db
    .selectFrom("ai_models")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return r !== undefined;
}

const columns = (d: SqlDialect, r: AiModelRow) => ({
  name: r.name,
  object: r.object,
  target: r.target,
  enabled: r.enabled ? 1 : 0,
  definition: d.json(r.definition),
  trained: r.trained === null ? null : d.json(r.trained),
  version: r.version,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

export async function insertAiModel(db: Db, d: SqlDialect, r: AiModelRow): Promise<boolean> {
  if (await nameTaken(db, r.workspaceId, r.name, r.id)) return false;
  await db
    .insertInto("ai_models")
    .values({ workspace_id: r.workspaceId, id: r.id, created_at: r.createdAt, ...columns(d, r) })
    .execute();
  return true;
}

export async function updateAiModel(db: Db, d: SqlDialect, r: AiModelRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, r.workspaceId, r.name, r.id)) return "name_taken";
  const result = await db
    .updateTable("ai_models")
    .set(columns(d, r))
    .where("workspace_id", "=", r.workspaceId)
    .where("id", "=", r.id)
    .where("version", "=", r.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteAiModel(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("ai_models").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
