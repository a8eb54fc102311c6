/** SQL of the AI predictions (issue 24): one row per prediction, overrides marked in place. */
import type { Kysely, Selectable } from "kysely";
import { type Grain, instantBucket } from "../kpi-ports.js";
import type { OverrideDay, PredictionReason, PredictionRow } from "../prediction-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { AiPredictionsTable, Database } from "./schema.js";

type Db = Kysely<Database>;

const toRow = (d: SqlDialect, r: Selectable<AiPredictionsTable>): PredictionRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  recordId: r.record_id,
  object: r.object,
  modelId: r.model_id,
  modelName: r.model_name,
  modelVersion: Number(r.model_version),
  field: r.field,
  value: r.value,
  confidence: Number(r.confidence),
  threshold: Number(r.threshold),
  applied: Number(r.applied) === 1,
  reasons: d.parseJson(r.reasons) as PredictionReason[],
  runId: r.run_id,
  step: r.step,
  createdAt: r.created_at,
  overriddenAt: r.overridden_at,
  overriddenValue: r.overridden_value,
  overriddenBy: r.overridden_by,
});

export async function insertPrediction(db: Db, d: SqlDialect, r: PredictionRow): Promise<void> {
  await db
    .insertInto("ai_predictions")
    .values({
      workspace_id: r.workspaceId,
      id: r.id,
      record_id: r.recordId,
      object: r.object,
      model_id: r.modelId,
      model_name: r.modelName,
      model_version: r.modelVersion,
      field: r.field,
      value: r.value,
      confidence: r.confidence,
      threshold: r.threshold,
      applied: r.applied ? 1 : 0,
      reasons: d.json(r.reasons),
      run_id: r.runId,
      step: r.step,
      created_at: r.createdAt,
      overridden_at: r.overriddenAt,
      overridden_value: r.overriddenValue,
      overridden_by: r.overriddenBy,
    })
    .execute();
}

export async function predictionsOfRecord(db: Db, d: SqlDialect, workspaceId: string, recordId: string, limit: number) {
  const rows = await db
    .selectFrom("ai_predictions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toRow(d, r));
}

export async function markOverridden(
  db: Db,
  workspaceId: string,
  recordId: string,
  field: string,
  value: string | null,
  by: string,
  at: string,
): Promise<number> {
  let q = db
    .updateTable("ai_predictions")
    .set({ overridden_at: at, overridden_value: value, overridden_by: by })
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .where("field", "=", field)
    .where("applied", "=", 1)
    .where("overridden_at", "is", null);
  if (value !== null) q = q.where("value", "!=", value);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function overrideDays(
  db: Db,
  workspaceId: string,
  of: { modelId: string } | { object: string },
  from: string,
  to: string,
  grain: Grain = "day",
): Promise<OverrideDay[]> {
  const rows = await db
    .selectFrom("ai_predictions")
    .select(["created_at", "overridden_at"])
    .where("workspace_id", "=", workspaceId)
    .where((eb) => ("modelId" in of ? eb("model_id", "=", of.modelId) : eb("object", "=", of.object)))
    .where("applied", "=", 1)
    .where("created_at", ">=", from)
    .where("created_at", "<", to)
    .execute();
  // Days (or hours) in UTC, counted here: one spelling for both databases' timestamps.
  const days = new Map<string, OverrideDay>();
  for (const r of rows) {
    const day = instantBucket(new Date(r.created_at).toISOString(), grain);
    const d = days.get(day) ?? { day, applied: 0, overridden: 0 };
    d.applied++;
    if (r.overridden_at !== null) d.overridden++;
    days.set(day, d);
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}
