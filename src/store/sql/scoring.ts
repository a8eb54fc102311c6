/** Scoring models, their versions, awards, states, ledger and rescores (scoring-ports.ts). */
import { type Kysely, sql } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { StoredRecord } from "../ports.js";
import type {
  LedgerKind,
  LedgerQuery,
  LiveScoreModel,
  RescoreState,
  ScoreAwardRow,
  ScoreLedgerRow,
  ScoreModelDefinition,
  ScoreModelRow,
  ScoreModelVersionRow,
  ScoreRescoreRow,
  ScoreStateRow,
} from "../scoring-ports.js";
import type { SqlDialect } from "./dialect.js";
import { toRecord } from "./records.js";
import type {
  Database,
  ScoreAwardsTable,
  ScoreLedgerTable,
  ScoreModelsTable,
  ScoreModelVersionsTable,
  ScoreRescoresTable,
  ScoreStatesTable,
} from "./schema.js";

type Db = Kysely<Database>;

const toModel = (r: ScoreModelsTable): ScoreModelRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  name: r.name,
  object: r.object as ObjectName,
  enabled: Number(r.enabled) === 1,
  currentVersion: Number(r.current_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const toVersion = (d: SqlDialect, r: ScoreModelVersionsTable): ScoreModelVersionRow => ({
  workspaceId: r.workspace_id,
  modelId: r.model_id,
  version: Number(r.version),
  definition: d.parseJson(r.definition) as ScoreModelDefinition,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  note: r.note,
});

const toAward = (r: ScoreAwardsTable): ScoreAwardRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  modelId: r.model_id,
  version: Number(r.version),
  recordId: r.record_id,
  groupKey: r.group_key,
  ruleKey: r.rule_key,
  points: Number(r.points),
  awardedAt: r.awarded_at,
  causeKey: r.cause_key,
  expiresAt: r.expires_at,
});

const toState = (d: SqlDialect, r: ScoreStatesTable): ScoreStateRow => ({
  workspaceId: r.workspace_id,
  modelId: r.model_id,
  recordId: r.record_id,
  version: Number(r.version),
  fit: Number(r.fit),
  engagement: Number(r.engagement),
  total: Number(r.total),
  fitRules: d.parseJson(r.fit_rules) as string[],
  fitPoints: (d.parseJson(r.fit_points) as Record<string, number> | null) ?? {},
  updatedAt: r.updated_at,
  nextChangeAt: r.next_change_at,
});

const toLedger = (d: SqlDialect, r: ScoreLedgerTable): ScoreLedgerRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  modelId: r.model_id,
  version: Number(r.version),
  recordId: r.record_id,
  kind: r.kind as LedgerKind,
  groupKey: r.group_key,
  ruleKey: r.rule_key,
  causeEventId: r.cause_event_id,
  cause: d.parseJson(r.cause) as Record<string, unknown>,
  points: r.points === null ? null : Number(r.points),
  before: Number(r.before),
  after: Number(r.after),
  at: r.at,
});

const toRescore = (r: ScoreRescoresTable): ScoreRescoreRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  modelId: r.model_id,
  version: Number(r.version),
  state: r.state as RescoreState,
  total: Number(r.total),
  done: Number(r.done),
  changed: Number(r.changed),
  afterId: r.after_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
});

export async function listScoreModels(db: Db, workspaceId: string): Promise<ScoreModelRow[]> {
  const rows = await db.selectFrom("score_models").selectAll().where("workspace_id", "=", workspaceId).orderBy("key").execute();
  return rows.map(toModel);
}

export async function getScoreModel(db: Db, workspaceId: string, key: string, by: "key" | "id" = "key") {
  const row = await db
    .selectFrom("score_models")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(by, "=", key)
    .executeTakeFirst();
  return row ? toModel(row) : undefined;
}

export async function scoreModelVersions(db: Db, d: SqlDialect, workspaceId: string, modelId: string) {
  const rows = await db
    .selectFrom("score_model_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => toVersion(d, r));
}

export async function getScoreModelVersion(db: Db, d: SqlDialect, workspaceId: string, modelId: string, version: number) {
  const row = await db
    .selectFrom("score_model_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row ? toVersion(d, row) : undefined;
}

export async function liveScoreModels(db: Db, d: SqlDialect, workspaceId: string, object?: ObjectName): Promise<LiveScoreModel[]> {
  let q = db
    .selectFrom("score_models as m")
    .innerJoin("score_model_versions as v", (j) =>
      j.onRef("v.workspace_id", "=", "m.workspace_id").onRef("v.model_id", "=", "m.id").onRef("v.version", "=", "m.current_version"),
    )
    .selectAll("m")
    .select("v.definition")
    .where("m.workspace_id", "=", workspaceId)
    .where("m.enabled", "=", 1);
  if (object) q = q.where("m.object", "=", object);
  const rows = await q.orderBy("m.key").execute();
  return rows.map((r) => ({ model: toModel(r), definition: d.parseJson(r.definition) as ScoreModelDefinition }));
}

export async function scoreStatesOf(db: Db, d: SqlDialect, workspaceId: string, recordId: string) {
  const rows = await db
    .selectFrom("score_states")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .execute();
  return rows.map((r) => toState(d, r));
}

export async function scoreAwardsOf(db: Db, workspaceId: string, modelId: string, recordId: string) {
  const rows = await db
    .selectFrom("score_awards")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .where("record_id", "=", recordId)
    .orderBy("awarded_at")
    .orderBy("id")
    .execute();
  return rows.map(toAward);
}

export async function scoreLedger(db: Db, d: SqlDialect, q: LedgerQuery) {
  let s = db.selectFrom("score_ledger").selectAll().where("workspace_id", "=", q.workspaceId).where("record_id", "=", q.recordId);
  if (q.modelId) s = s.where("model_id", "=", q.modelId);
  if (q.before) s = s.where("id", "<", q.before);
  const rows = await s.orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => toLedger(d, r));
}

export async function latestScoreRescore(db: Db, workspaceId: string, modelId: string) {
  const row = await db
    .selectFrom("score_rescores")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toRescore(row) : undefined;
}

export async function scoredRecordIds(db: Db, workspaceId: string, object: ObjectName, afterId: string | null, limit: number) {
  let q = db.selectFrom("records").select("id").where("workspace_id", "=", workspaceId).where("object", "=", object);
  if (afterId !== null) q = q.where("id", ">", afterId);
  const rows = await q.orderBy("id").limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function countScoredRecords(db: Db, workspaceId: string, object: ObjectName) {
  const row = await db
    .selectFrom("records")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertScoreModel(db: Db, m: ScoreModelRow): Promise<boolean> {
  const r = await db
    .insertInto("score_models")
    .values({
      workspace_id: m.workspaceId,
      id: m.id,
      key: m.key,
      name: m.name,
      object: m.object,
      enabled: m.enabled ? 1 : 0,
      current_version: m.currentVersion,
      created_at: m.createdAt,
      updated_at: m.updatedAt,
      updated_by: m.updatedBy,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "key"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateScoreModel(db: Db, m: ScoreModelRow) {
  await db
    .updateTable("score_models")
    .set({
      name: m.name,
      enabled: m.enabled ? 1 : 0,
      current_version: m.currentVersion,
      updated_at: m.updatedAt,
      updated_by: m.updatedBy,
    })
    .where("workspace_id", "=", m.workspaceId)
    .where("id", "=", m.id)
    .execute();
}

export async function deleteScoreModel(db: Db, workspaceId: string, id: string) {
  for (const table of ["score_awards", "score_states", "score_ledger", "score_rescores", "score_model_versions"] as const)
    await db
      .deleteFrom(table as "score_awards")
      .where("workspace_id", "=", workspaceId)
      .where("model_id", "=", id)
      .execute();
  await db.deleteFrom("score_models").where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
}

export async function insertScoreModelVersion(db: Db, d: SqlDialect, v: ScoreModelVersionRow) {
  await db
    .insertInto("score_model_versions")
    .values({
      workspace_id: v.workspaceId,
      model_id: v.modelId,
      version: v.version,
      definition: d.json(v.definition),
      published_at: v.publishedAt,
      published_by: v.publishedBy,
      note: v.note,
    })
    .execute();
}

export async function insertScoreAwards(db: Db, rows: readonly ScoreAwardRow[]): Promise<ScoreAwardRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto("score_awards")
    .values(
      rows.map((a) => ({
        workspace_id: a.workspaceId,
        id: a.id,
        model_id: a.modelId,
        version: a.version,
        record_id: a.recordId,
        group_key: a.groupKey,
        rule_key: a.ruleKey,
        points: a.points,
        awarded_at: a.awardedAt,
        cause_key: a.causeKey,
        expires_at: a.expiresAt,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "model_id", "record_id", "rule_key", "cause_key"]).doNothing())
    .returning("id")
    .execute();
  const ids = new Set(inserted.map((r) => r.id));
  return rows.filter((a) => ids.has(a.id));
}

export async function deleteScoreAwards(db: Db, workspaceId: string, modelId: string, recordId: string) {
  await db
    .deleteFrom("score_awards")
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .where("record_id", "=", recordId)
    .execute();
}

export async function putScoreState(db: Db, d: SqlDialect, s: ScoreStateRow) {
  const values = {
    version: s.version,
    fit: s.fit,
    engagement: s.engagement,
    total: s.total,
    fit_rules: d.json(s.fitRules),
    fit_points: d.json(s.fitPoints),
    updated_at: s.updatedAt,
    next_change_at: s.nextChangeAt,
    lease_owner: null,
    lease_until: null,
  };
  await db
    .insertInto("score_states")
    .values({ workspace_id: s.workspaceId, model_id: s.modelId, record_id: s.recordId, ...values })
    .onConflict((oc) => oc.columns(["workspace_id", "model_id", "record_id"]).doUpdateSet(values))
    .execute();
}

export async function appendScoreLedger(db: Db, d: SqlDialect, rows: readonly ScoreLedgerRow[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("score_ledger")
    .values(
      rows.map((r) => ({
        workspace_id: r.workspaceId,
        id: r.id,
        model_id: r.modelId,
        version: r.version,
        record_id: r.recordId,
        kind: r.kind,
        group_key: r.groupKey,
        rule_key: r.ruleKey,
        cause_event_id: r.causeEventId,
        cause: d.json(r.cause),
        points: r.points,
        before: r.before,
        after: r.after,
        at: r.at,
      })),
    )
    .execute();
}

const rescoreColumns = (r: ScoreRescoreRow) => ({
  state: r.state,
  total: r.total,
  done: r.done,
  changed: r.changed,
  after_id: r.afterId,
  finished_at: r.finishedAt,
  error: r.error,
});

export async function insertScoreRescore(db: Db, r: ScoreRescoreRow) {
  await db
    .insertInto("score_rescores")
    .values({
      workspace_id: r.workspaceId,
      id: r.id,
      model_id: r.modelId,
      version: r.version,
      started_at: r.startedAt,
      lease_owner: null,
      lease_until: null,
      ...rescoreColumns(r),
    })
    .execute();
}

export async function updateScoreRescore(db: Db, r: ScoreRescoreRow) {
  await db.updateTable("score_rescores").set(rescoreColumns(r)).where("workspace_id", "=", r.workspaceId).where("id", "=", r.id).execute();
}

export async function supersedeScoreRescores(db: Db, workspaceId: string, modelId: string, why: string, at: string) {
  await db
    .updateTable("score_rescores")
    .set({ state: "failed", error: why, finished_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("model_id", "=", modelId)
    .where("state", "in", ["queued", "running"])
    .execute();
}

/** Due states, oldest first, free of a live lease: served by the `score_states_due` partial index. */
export function dueScoreStates(db: Db, d: SqlDialect, limit: number, dueBy?: string) {
  let due = db
    .selectFrom("score_states")
    .select(["workspace_id", "model_id", "record_id"])
    .where("next_change_at", "is not", null)
    .where("next_change_at", "<=", dueBy === undefined ? d.statementNow() : sql<string>`${dueBy}`)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("next_change_at")
    .limit(limit);
  if (d.rowLocks) due = due.forUpdate().skipLocked();
  return due;
}

/** The claim of due states as one statement (the plan test explains it: it must seek `score_states_due`). */
export function claimDueScoreStatesStatement(db: Db, d: SqlDialect, owner: string, limit: number, leaseMs: number, dueBy?: string) {
  return db
    .updateTable("score_states")
    .set({ lease_owner: owner, lease_until: d.now(leaseMs) })
    .where((eb) =>
      eb(
        eb.refTuple("workspace_id", "model_id", "record_id"),
        "in",
        dueScoreStates(db, d, limit, dueBy).$asTuple("workspace_id", "model_id", "record_id"),
      ),
    )
    .returningAll();
}

export async function claimDueScoreStates(db: Db, d: SqlDialect, owner: string, limit: number, leaseMs: number, dueBy?: string) {
  const rows = await claimDueScoreStatesStatement(db, d, owner, limit, leaseMs, dueBy).execute();
  return rows.map((r) => toState(d, r)).sort((a, b) => (a.nextChangeAt ?? "").localeCompare(b.nextChangeAt ?? ""));
}

export async function nextScoreChangeInMs(db: Db, d: SqlDialect): Promise<number | undefined> {
  const row = await db
    .selectFrom("score_states")
    .select(["next_change_at"])
    .select(d.statementNow().as("now"))
    .where("next_change_at", "is not", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("next_change_at")
    .limit(1)
    .executeTakeFirst();
  if (!row?.next_change_at) return undefined;
  const inMs = Date.parse(String(row.next_change_at)) - Date.parse(String(row.now));
  return Number.isFinite(inMs) ? inMs : undefined;
}

export async function claimScoreRescore(db: Db, d: SqlDialect, owner: string, leaseMs: number) {
  let pick = db
    .selectFrom("score_rescores")
    .select(["workspace_id", "id"])
    .where("state", "in", ["queued", "running"])
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("started_at")
    .limit(1);
  if (d.rowLocks) pick = pick.forUpdate().skipLocked();
  const row = await db
    .updateTable("score_rescores")
    .set({ lease_owner: owner, lease_until: d.now(leaseMs), state: "running" })
    .where((eb) => eb(eb.refTuple("workspace_id", "id"), "in", pick.$asTuple("workspace_id", "id")))
    .returningAll()
    .executeTakeFirst();
  return row ? toRescore(row) : undefined;
}

/** Through `events_external_record` (036): the type is a literal, as the partial index needs. */
export async function externalReceivedOf(db: Db, workspaceId: string, recordId: string) {
  const rows = await db
    .selectFrom("events")
    .select(["id", "source", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .where(sql<boolean>`type = 'external.received'`)
    .orderBy("position")
    .execute();
  return rows.map((r) => ({ id: r.id, source: r.source ?? "", occurredAt: r.occurred_at }));
}

/**
 * The activities about a record, oldest first, through `records_activity_related` (036): the
 * expression and the object are spelled as the index spells them.
 */
export function activitiesAboutStatement(db: Db, d: SqlDialect, workspaceId: string, recordId: string | readonly string[]) {
  const related = d.name === "postgres" ? sql`(data ->> 'related_id')` : sql`json_extract(data, '$.related_id')`;
  const about =
    typeof recordId === "string"
      ? sql<boolean>`${related} = ${recordId}`
      : sql<boolean>`${related} in (${sql.join(recordId.map((id) => sql`${id}`))})`;
  return db.selectFrom("records").selectAll().where("workspace_id", "=", workspaceId).where(sql<boolean>`object = 'activity'`).where(about);
}

/** Records per statement of activitiesAboutMany: well under either database's bound parameters. */
const RECORDS_PER_STATEMENT = 500;

/** The activities about any of the records, through `records_activity_related` (one seek per id). */
export async function activitiesAboutMany(db: Db, d: SqlDialect, workspaceId: string, recordIds: readonly string[]) {
  const out: StoredRecord[] = [];
  for (let i = 0; i < recordIds.length; i += RECORDS_PER_STATEMENT) {
    const rows = await activitiesAboutStatement(db, d, workspaceId, recordIds.slice(i, i + RECORDS_PER_STATEMENT)).execute();
    for (const r of rows) out.push(toRecord(d, r));
  }
  return out;
}

export async function activitiesAbout(db: Db, d: SqlDialect, workspaceId: string, recordId: string): Promise<StoredRecord[]> {
  // Ordered here, not in SQL: an `order by id` lets SQLite's planner, before any ANALYZE, prefer
  // walking every activity of the workspace in id order (records_object_id) to the index.
  const rows = await activitiesAboutStatement(db, d, workspaceId, recordId).execute();
  return rows.map((r) => toRecord(d, r)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
