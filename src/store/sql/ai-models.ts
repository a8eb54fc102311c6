/** SQL of the AI models (issue 24): one row per model, its definition and training as JSON. */
import type { Kysely, Selectable } from "kysely";
import type { AiModelHead, AiModelRow, AiModelVersionRow, AiTrainingJobRow, TrainingState } from "../ai-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { AiModelsTable, AiTrainingJobsTable, Database } from "./schema.js";

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
  await db.deleteFrom("ai_model_versions").where("workspace_id", "=", workspaceId).where("model_id", "=", id).execute();
  await db.deleteFrom("ai_training_jobs").where("workspace_id", "=", workspaceId).where("model_id", "=", id).execute();
  const result = await db.deleteFrom("ai_models").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// Trainings and versions (044).

const toJob = (r: Selectable<AiTrainingJobsTable>): AiTrainingJobRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  modelId: r.model_id,
  state: r.state as TrainingState,
  phase: r.phase,
  progress: Number(r.progress),
  error: r.error,
  modelVersion: r.model_version === null ? null : Number(r.model_version),
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

const jobColumns = (r: AiTrainingJobRow) => ({
  state: r.state,
  phase: r.phase,
  progress: r.progress,
  error: r.error,
  model_version: r.modelVersion,
  started_at: r.startedAt,
  finished_at: r.finishedAt,
});

export async function insertTrainingJob(db: Db, r: AiTrainingJobRow): Promise<void> {
  await db
    .insertInto("ai_training_jobs")
    .values({
      workspace_id: r.workspaceId,
      id: r.id,
      model_id: r.modelId,
      requested_by: r.requestedBy,
      created_at: r.createdAt,
      ...jobColumns(r),
    })
    .execute();
}

export async function updateTrainingJob(db: Db, r: AiTrainingJobRow): Promise<void> {
  await db.updateTable("ai_training_jobs").set(jobColumns(r)).where("workspace_id", "=", r.workspaceId).where("id", "=", r.id).execute();
}

export async function failUnfinishedTrainingJobs(db: Db, error: string, at: string): Promise<number> {
  const result = await db
    .updateTable("ai_training_jobs")
    .set({ state: "failed", phase: "failed", error, finished_at: at })
    .where("state", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getTrainingJob(db: Db, workspaceId: string, id: string): Promise<AiTrainingJobRow | undefined> {
  const r = await db
    .selectFrom("ai_training_jobs")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toJob(r) : undefined;
}

export async function listTrainingJobs(db: Db, workspaceId: string, modelId: string, limit: number): Promise<AiTrainingJobRow[]> {
  const rows = await db
    .selectFrom("ai_training_jobs")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toJob);
}

export async function latestTrainingJobs(db: Db, workspaceId: string): Promise<Map<string, AiTrainingJobRow>> {
  // A workspace has a few models, each trained now and then: its jobs, newest first, first per model kept.
  const rows = await db
    .selectFrom("ai_training_jobs")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1_000)
    .execute();
  const out = new Map<string, AiTrainingJobRow>();
  for (const r of rows) if (!out.has(r.model_id)) out.set(r.model_id, toJob(r));
  return out;
}

export async function insertModelVersion(db: Db, d: SqlDialect, r: AiModelVersionRow): Promise<void> {
  await db
    .insertInto("ai_model_versions")
    .values({
      workspace_id: r.workspaceId,
      model_id: r.modelId,
      version: r.version,
      job_id: r.jobId,
      trained_at: r.trainedAt,
      data_first_at: r.dataFirstAt,
      data_last_at: r.dataLastAt,
      data_records: r.dataRecords,
      features: d.json(r.features),
      quality: d.json(r.quality),
      params: d.json(r.params),
      created_by: r.createdBy,
    })
    .execute();
}

export async function latestModelVersion(db: Db, workspaceId: string, modelId: string): Promise<number> {
  const r = await db
    .selectFrom("ai_model_versions")
    .select((eb) => eb.fn.max("version").as("v"))
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .executeTakeFirst();
  return r?.v == null ? 0 : Number(r.v);
}

export async function listModelVersions(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  modelId: string,
): Promise<Array<Omit<AiModelVersionRow, "params">>> {
  const rows = await db
    .selectFrom("ai_model_versions")
    .select([
      "workspace_id",
      "model_id",
      "version",
      "job_id",
      "trained_at",
      "data_first_at",
      "data_last_at",
      "data_records",
      "features",
      "quality",
      "created_by",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    modelId: r.model_id,
    version: Number(r.version),
    jobId: r.job_id,
    trainedAt: r.trained_at,
    dataFirstAt: r.data_first_at,
    dataLastAt: r.data_last_at,
    dataRecords: Number(r.data_records),
    features: d.parseJson(r.features),
    quality: d.parseJson(r.quality),
    createdBy: r.created_by,
  }));
}
