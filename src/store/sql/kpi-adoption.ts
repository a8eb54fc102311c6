/**
 * Adoption's read (issue 22; docs/kpis.md): a cohort's records (kpi_records, cut by owner) and how
 * many of them a workflow's run was on, per creation day, counted by the database in one grouped
 * statement. "Any workflow" probes each record's runs through `runs_record` (workspace, record);
 * one workflow's (version's) records are one set built once (IN), as the cohort cut builds it.
 * (A subquery embedded in sql`` brings its own parentheses: SQLite refuses `exists ((…))`.)
 */
import { type Kysely, sql } from "kysely";
import type { AdoptionDay, AdoptionRecord, CohortQuery } from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import { cohortRows, createdBucket, handledBy } from "./kpis.js";
import type { Database } from "./schema.js";

export async function kpiAdoptionDays(
  db: Kysely<Database>,
  d: SqlDialect,
  q: Omit<CohortQuery, "limit" | "order" | "workflow">,
  by?: { id: string; version?: number | undefined },
): Promise<AdoptionDay[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  const reached = by
    ? sql<number>`sum(case when kpi_records.record_id in ${handledBy(db, q.workspaceId, by)} then 1 else 0 end)`
    : sql<number>`sum(case when exists ${db
        .selectFrom("runs")
        .select("runs.id")
        .where("runs.workspace_id", "=", q.workspaceId)
        // Correlated with the cohort's row: a raw reference, the builder knows only the subquery's table.
        .where(sql<boolean>`runs.record_id = kpi_records.record_id`)} then 1 else 0 end)`;
  const bucket = createdBucket(d, q);
  const out = await rows
    .select((eb) => [bucket.as("day"), eb.fn.countAll<number>().as("records"), reached.as("reached")])
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return out.map((r) => ({ day: r.day, records: Number(r.records), reached: Number(r.reached) }));
}

/**
 * Adoption's drill-down: the same cohort, each record with the runs that were on it — any
 * workflow's, or `by`'s — counted through `runs_record` (workspace, record) for each row, the
 * records no run reached first (0), then the oldest. A record is reached exactly when its count
 * is above 0, so the list splits as the figure does.
 */
export async function kpiAdoptionRecords(
  db: Kysely<Database>,
  q: Omit<CohortQuery, "limit" | "order" | "workflow">,
  by: { id: string; version?: number | undefined } | undefined,
  limit: number,
): Promise<AdoptionRecord[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  let runs = db
    .selectFrom("runs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("runs.workspace_id", "=", q.workspaceId)
    .where(sql<boolean>`runs.record_id = kpi_records.record_id`);
  if (by) runs = runs.where("runs.workflow_id", "=", by.id);
  if (by?.version !== undefined) runs = runs.where("runs.version", "=", by.version);
  const out = await rows
    .select(["kpi_records.record_id", "kpi_records.created_at", runs.as("reached_by")])
    .orderBy(sql`reached_by`)
    .orderBy("kpi_records.created_at")
    .orderBy("kpi_records.record_id")
    .limit(limit)
    .execute();
  return out.map((r) => ({ recordId: r.record_id, createdAt: r.created_at, runs: Number(r.reached_by) }));
}
