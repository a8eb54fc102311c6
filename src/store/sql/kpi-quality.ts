/**
 * The data-quality KPIs' reads (issue 22; docs/kpis.md "Data quality"): a cohort's records as
 * they stand now — their data for required-field completion and status accuracy, whether each
 * was merged away — and the suspected duplicate pairs that have a side in the cohort. The cohort
 * (kpi_records, cut by owner and workflow as every cohort KPI is) comes from the rollup; the data,
 * the review queue and the merges are read when asked, like the overrides' audit trail.
 */
import { type Kysely, sql } from "kysely";
import type { CohortQuery, DuplicatePair, QualityRecord } from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import { cohortRows } from "./kpis.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

export async function kpiQualityRecords(
  db: Db,
  d: SqlDialect,
  q: Omit<CohortQuery, "limit" | "order">,
  limit: number,
): Promise<QualityRecord[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  const out = await rows
    .leftJoin("records", (j) =>
      j.onRef("records.workspace_id", "=", "kpi_records.workspace_id").onRef("records.id", "=", "kpi_records.record_id"),
    )
    .select([
      "kpi_records.record_id as id",
      "kpi_records.created_at as created_at",
      "kpi_records.created_day as day",
      "kpi_records.owner_id as owner_id",
      "records.data as data",
      "records.updated_at as updated_at",
      sql<number>`case when exists ${db
        .selectFrom("record_merges")
        .select("record_merges.id")
        .where("record_merges.workspace_id", "=", q.workspaceId)
        .where("record_merges.undone_at", "is", null)
        // Correlated with the cohort's row: a raw reference, the builder knows only the subquery's table.
        .where(sql<boolean>`record_merges.merged_id = kpi_records.record_id`)} then 1 else 0 end`.as("merged"),
    ])
    .orderBy("kpi_records.created_at")
    .orderBy("kpi_records.record_id")
    .limit(limit)
    .execute();
  return out.map((r) => ({
    id: r.id,
    createdAt: iso(r.created_at),
    day: r.day,
    ownerId: r.owner_id,
    data: r.data === null || r.data === undefined ? null : (d.parseJson(r.data) as Record<string, unknown>),
    updatedAt: r.updated_at === null || r.updated_at === undefined ? null : iso(r.updated_at),
    mergedAway: Number(r.merged) === 1,
  }));
}

/** Suspected duplicate pairs not dismissed, with a side of the object created in the period; both sides' creation instants. */
export async function kpiDuplicatePairs(db: Db, q: Pick<CohortQuery, "workspaceId" | "object" | "from" | "to">): Promise<DuplicatePair[]> {
  const inPeriod = (side: "a" | "b") =>
    sql<boolean>`(${sql.ref(`${side}.object`)} = ${q.object} and ${sql.ref(`${side}.created_at`)} >= ${q.from} and ${sql.ref(`${side}.created_at`)} < ${q.to})`;
  const rows = await db
    .selectFrom("review_queue_items as i")
    .innerJoin("kpi_records as a", (j) => j.onRef("a.workspace_id", "=", "i.workspace_id").onRef("a.record_id", "=", "i.record_id"))
    .innerJoin("kpi_records as b", (j) => j.onRef("b.workspace_id", "=", "i.workspace_id").onRef("b.record_id", "=", "i.other_record_id"))
    .select(["a.record_id as a_id", "a.created_at as a_at", "b.record_id as b_id", "b.created_at as b_at", "i.id as item_id"])
    .where("i.workspace_id", "=", q.workspaceId)
    .where("i.kind", "=", "duplicate")
    .where("i.status", "<>", "dismissed")
    .where((eb) => eb.or([inPeriod("a"), inPeriod("b")]))
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, a: { id: r.a_id, createdAt: iso(r.a_at) }, b: { id: r.b_id, createdAt: iso(r.b_at) } }));
}
