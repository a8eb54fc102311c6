/** The KPI rollups' SQL (issue 22; migration 037; docs/kpis.md). */
import { type Kysely, type Selectable, sql } from "kysely";
import {
  type CohortDay,
  type CohortQuery,
  type DailyDelta,
  type DailyRow,
  type HourlyDelta,
  instantBucket,
  type RecordFact,
  type RunCountRow,
  type RunOnRecord,
} from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, KpiRecordsTable } from "./schema.js";

type Db = Kysely<Database>;
const CHUNK = 500;

const toFact = (r: Selectable<KpiRecordsTable>): RecordFact => ({
  workspaceId: r.workspace_id,
  recordId: r.record_id,
  object: r.object,
  createdAt: r.created_at,
  ownerId: r.owner_id,
  personWrites: Number(r.person_writes),
  workflowWrites: Number(r.workflow_writes),
  otherWrites: Number(r.other_writes),
  respondedAt: r.responded_at,
  responseMs: r.response_ms === null ? null : Number(r.response_ms),
  closedAt: r.closed_at,
  cycleMs: r.cycle_ms === null ? null : Number(r.cycle_ms),
  wonAt: r.won_at,
  companyId: r.company_id,
  contactId: r.contact_id,
  category: r.category,
  readyAt: r.ready_at,
});

export async function getKpiRecords(db: Db, workspaceId: string, recordIds: readonly string[]): Promise<RecordFact[]> {
  const out: RecordFact[] = [];
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("kpi_records")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", recordIds.slice(i, i + CHUNK))
      .execute();
    out.push(...rows.map(toFact));
  }
  return out;
}

export async function upsertKpiRecords(db: Db, facts: readonly RecordFact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += CHUNK) {
    await db
      .insertInto("kpi_records")
      .values(
        facts.slice(i, i + CHUNK).map((f) => ({
          workspace_id: f.workspaceId,
          record_id: f.recordId,
          object: f.object,
          created_at: f.createdAt,
          created_day: f.createdAt.slice(0, 10),
          owner_id: f.ownerId,
          person_writes: f.personWrites,
          workflow_writes: f.workflowWrites,
          other_writes: f.otherWrites,
          responded_at: f.respondedAt,
          response_ms: f.responseMs,
          closed_at: f.closedAt,
          cycle_ms: f.cycleMs,
          won_at: f.wonAt,
          company_id: f.companyId,
          contact_id: f.contactId,
          category: f.category,
          ready_at: f.readyAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["workspace_id", "record_id"]).doUpdateSet((eb) => ({
          owner_id: eb.ref("excluded.owner_id"),
          person_writes: eb.ref("excluded.person_writes"),
          workflow_writes: eb.ref("excluded.workflow_writes"),
          other_writes: eb.ref("excluded.other_writes"),
          responded_at: eb.ref("excluded.responded_at"),
          response_ms: eb.ref("excluded.response_ms"),
          closed_at: eb.ref("excluded.closed_at"),
          cycle_ms: eb.ref("excluded.cycle_ms"),
          won_at: eb.ref("excluded.won_at"),
          company_id: eb.ref("excluded.company_id"),
          contact_id: eb.ref("excluded.contact_id"),
          category: eb.ref("excluded.category"),
          ready_at: eb.ref("excluded.ready_at"),
        })),
      )
      .execute();
  }
}

export async function addKpiDaily(db: Db, deltas: readonly DailyDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += CHUNK) {
    await db
      .insertInto("kpi_daily")
      .values(
        deltas.slice(i, i + CHUNK).map((d) => ({
          workspace_id: d.workspaceId,
          day: d.day,
          object: d.object,
          actor_kind: d.actorKind,
          workflow_id: d.workflowId,
          writes: d.writes,
          creates: d.creates,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["workspace_id", "day", "object", "actor_kind", "workflow_id"]).doUpdateSet({
          writes: sql`kpi_daily.writes + excluded.writes`,
          creates: sql`kpi_daily.creates + excluded.creates`,
        }),
      )
      .execute();
  }
}

export async function addKpiHourly(db: Db, deltas: readonly HourlyDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += CHUNK) {
    await db
      .insertInto("kpi_hourly")
      .values(
        deltas.slice(i, i + CHUNK).map((d) => ({
          workspace_id: d.workspaceId,
          hour: d.hour,
          object: d.object,
          actor_kind: d.actorKind,
          workflow_id: d.workflowId,
          writes: d.writes,
          creates: d.creates,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["workspace_id", "hour", "object", "actor_kind", "workflow_id"]).doUpdateSet({
          writes: sql`kpi_hourly.writes + excluded.writes`,
          creates: sql`kpi_hourly.creates + excluded.creates`,
        }),
      )
      .execute();
  }
}

export async function clearKpis(db: Db): Promise<void> {
  await db.deleteFrom("kpi_records").execute();
  await db.deleteFrom("kpi_daily").execute();
  await db.deleteFrom("kpi_hourly").execute();
}

/** The cohort's rows, narrowed as the query cuts it; undefined when the cut leaves nobody. */
export function cohortRows(db: Db, q: Omit<CohortQuery, "limit" | "order">) {
  // Deals that closed (with a cycle) or were won in the period, through kpi_records_closed / _won; else records created in it.
  const at = q.by === "closed" ? "kpi_records.closed_at" : q.by === "won" ? "kpi_records.won_at" : "kpi_records.created_at";
  let query = db
    .selectFrom("kpi_records")
    .where("kpi_records.workspace_id", "=", q.workspaceId)
    .where("kpi_records.object", "=", q.object)
    .where(at, ">=", q.from)
    .where(at, "<", q.to);
  // closed_at not null in words too: the partial index kpi_records_closed holds only those rows.
  if (q.by === "closed") query = query.where("kpi_records.closed_at", "is not", null).where("kpi_records.cycle_ms", "is not", null);
  if (q.by === "won") query = query.where("kpi_records.won_at", "is not", null);
  if (q.ownerIds !== undefined) {
    if (q.ownerIds.length === 0) return undefined;
    query = query.where("kpi_records.owner_id", "in", q.ownerIds);
  }
  if (q.responded) query = query.where("kpi_records.response_ms", "is not", null);
  const w = q.workflow;
  if (w) query = query.where("kpi_records.record_id", w.handled ? "in" : "not in", handledBy(db, q.workspaceId, w));
  return query;
}

/**
 * The records a workflow's (version's) runs were on, as a subquery: one set built once (IN), not
 * a probe of runs per row (EXISTS) — SQLite's planner walked the workflow's runs for every row,
 * O(cohort × runs).
 */
export function handledBy(db: Db, workspaceId: string, w: { id: string; version?: number | undefined }) {
  let handled = db
    .selectFrom("runs")
    .select("runs.record_id")
    .where("runs.workspace_id", "=", workspaceId)
    .where("runs.workflow_id", "=", w.id);
  if (w.version !== undefined) handled = handled.where("runs.version", "=", w.version);
  return handled;
}

/** A cohort row's series bucket: its creation day (kept), or the UTC hour of its creation instant. */
export function createdBucket(d: SqlDialect, q: Pick<CohortQuery, "bucket">) {
  return q.bucket === "hour" ? d.utcHour("kpi_records.created_at") : sql<string>`kpi_records.created_day`;
}

export async function kpiCohort(db: Db, q: CohortQuery): Promise<RecordFact[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  let query = rows.selectAll("kpi_records");
  if (q.order === "slowest") query = query.orderBy("kpi_records.response_ms", "desc");
  else if (q.order === "most_touched") query = query.orderBy("kpi_records.person_writes", "desc");
  else if (q.order === "longest_cycle") query = query.orderBy("kpi_records.cycle_ms", "desc");
  else if (q.order === "won") query = query.orderBy("kpi_records.won_at");
  return (await query.orderBy("kpi_records.created_at").orderBy("kpi_records.record_id").limit(q.limit).execute()).map(toFact);
}

export async function kpiCohortDays(db: Db, d: SqlDialect, q: Omit<CohortQuery, "limit" | "order">): Promise<CohortDay[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  const bucket = createdBucket(d, q);
  const out = await rows
    .select((eb) => [bucket.as("day"), eb.fn.countAll<number>().as("records"), eb.fn.sum<number>("kpi_records.person_writes").as("writes")])
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return out.map((r) => ({ day: r.day, records: Number(r.records), personWrites: Number(r.writes) }));
}

export async function kpiResponseTimes(
  db: Db,
  d: SqlDialect,
  q: Omit<CohortQuery, "limit" | "order" | "responded">,
): Promise<Array<{ day: string; ms: number }>> {
  const rows = cohortRows(db, { ...q, responded: true });
  if (!rows) return [];
  const out = await rows.select([createdBucket(d, q).as("day"), "kpi_records.response_ms as ms"]).execute();
  return out.map((r) => ({ day: r.day, ms: Number(r.ms) }));
}

export async function kpiDaily(db: Db, workspaceId: string, fromDay: string, toDay: string, object?: string): Promise<DailyRow[]> {
  let q = db
    .selectFrom("kpi_daily")
    .select(["day", "object", "actor_kind", "workflow_id", "writes", "creates"])
    .where("workspace_id", "=", workspaceId)
    .where("day", ">=", fromDay)
    .where("day", "<", toDay);
  if (object !== undefined) q = q.where("object", "=", object);
  const rows = await q.orderBy("day").execute();
  return rows.map((r) => ({
    day: r.day,
    object: r.object,
    actorKind: r.actor_kind,
    workflowId: r.workflow_id,
    writes: Number(r.writes),
    creates: Number(r.creates),
  }));
}

/** The hourly rollup's rows of a period (hours from ≤ hour < to, YYYY-MM-DDTHH), of one object when given; `day` holds the hour. */
export async function kpiHourly(db: Db, workspaceId: string, fromHour: string, toHour: string, object?: string): Promise<DailyRow[]> {
  let q = db
    .selectFrom("kpi_hourly")
    .select(["hour", "object", "actor_kind", "workflow_id", "writes", "creates"])
    .where("workspace_id", "=", workspaceId)
    .where("hour", ">=", fromHour)
    .where("hour", "<", toHour);
  if (object !== undefined) q = q.where("object", "=", object);
  const rows = await q.orderBy("hour").execute();
  return rows.map((r) => ({
    day: r.hour,
    object: r.object,
    actorKind: r.actor_kind,
    workflowId: r.workflow_id,
    writes: Number(r.writes),
    creates: Number(r.creates),
  }));
}

export async function kpiRunCounts(db: Db, workspaceId: string, from: string, to: string): Promise<RunCountRow[]> {
  const rows = await db
    .selectFrom("runs")
    .select(["workflow_id", "version", "status", (eb) => eb.fn.countAll<number>().as("runs")])
    .where("workspace_id", "=", workspaceId)
    .where("created_at", ">=", from)
    .where("created_at", "<", to)
    .groupBy(["workflow_id", "version", "status"])
    .execute();
  return rows.map((r) => ({ workflowId: r.workflow_id, version: Number(r.version), status: r.status, runs: Number(r.runs) }));
}

export async function kpiCycleTimes(db: Db, q: Omit<CohortQuery, "limit" | "order" | "by">): Promise<Array<{ day: string; ms: number }>> {
  const rows = cohortRows(db, { ...q, by: "closed" });
  if (!rows) return [];
  const out = await rows.select(["kpi_records.closed_at as at", "kpi_records.cycle_ms as ms"]).execute();
  return out.map((r) => ({ day: instantBucket(r.at as string, q.bucket ?? "day"), ms: Number(r.ms) }));
}

export async function kpiRunsOn(db: Db, workspaceId: string, recordIds: readonly string[]): Promise<RunOnRecord[]> {
  const out: RunOnRecord[] = [];
  const unique = [...new Set(recordIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom("runs")
      .select(["workflow_id", "record_id", "version", "created_at"])
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", unique.slice(i, i + CHUNK))
      .execute();
    out.push(
      ...rows.map((r) => ({ workflowId: r.workflow_id, recordId: r.record_id, version: Number(r.version), createdAt: r.created_at })),
    );
  }
  return out;
}

/** The ready onboarding tickets of some companies, ready at or after `from` (through kpi_records_ready). */
export async function kpiReadyTickets(
  db: Db,
  workspaceId: string,
  companyIds: readonly string[],
  from: string,
): Promise<Array<{ recordId: string; companyId: string; readyAt: string }>> {
  const out: Array<{ recordId: string; companyId: string; readyAt: string }> = [];
  const unique = [...new Set(companyIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom("kpi_records")
      .select(["record_id", "company_id", "ready_at"])
      .where("workspace_id", "=", workspaceId)
      .where("company_id", "in", unique.slice(i, i + CHUNK))
      .where("ready_at", "is not", null)
      .where("ready_at", ">=", from)
      .where("object", "=", "ticket")
      .execute();
    out.push(...rows.map((r) => ({ recordId: r.record_id, companyId: r.company_id as string, readyAt: r.ready_at as string })));
  }
  return out;
}
