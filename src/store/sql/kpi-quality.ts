/**
 * The data-quality KPIs' reads (issue 22; docs/kpis.md "Data quality"): a cohort's records as
 * they stand now — their data for required-field completion and status accuracy, whether each
 * was merged away — and the suspected duplicate pairs that have a side in the cohort; as at an
 * instant (the period's end), the merges and pairs of then and the changes made since. The cohort
 * (kpi_records, cut by owner and workflow as every cohort KPI is) comes from the rollup; the data,
 * the review queue and the merges are read when asked, like the overrides' audit trail.
 */
import { type Kysely, sql } from "kysely";
import type { FieldChange } from "../audit-ports.js";
import type { CohortQuery, DuplicatePair, QualityRecord, RecordChanges } from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import { cohortRows } from "./kpis.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;
const CHUNK = 500;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

export async function kpiQualityRecords(
  db: Db,
  d: SqlDialect,
  q: Omit<CohortQuery, "limit" | "order">,
  limit: number,
  asAt?: string,
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
        // As at an instant: merged before it and not undone by then; else merged and not undone now.
        .$if(asAt === undefined, (m) => m.where("record_merges.undone_at", "is", null))
        .$if(asAt !== undefined, (m) =>
          m
            .where("record_merges.merged_at", "<", asAt as string)
            .where((eb) => eb.or([eb("record_merges.undone_at", "is", null), eb("record_merges.undone_at", ">=", asAt as string)])),
        )
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
export async function kpiDuplicatePairs(
  db: Db,
  q: Pick<CohortQuery, "workspaceId" | "object" | "from" | "to">,
  asAt?: string,
): Promise<DuplicatePair[]> {
  const inPeriod = (side: "a" | "b") =>
    sql<boolean>`(${sql.ref(`${side}.object`)} = ${q.object} and ${sql.ref(`${side}.created_at`)} >= ${q.from} and ${sql.ref(`${side}.created_at`)} < ${q.to})`;
  const rows = await db
    .selectFrom("review_queue_items as i")
    .innerJoin("kpi_records as a", (j) => j.onRef("a.workspace_id", "=", "i.workspace_id").onRef("a.record_id", "=", "i.record_id"))
    .innerJoin("kpi_records as b", (j) => j.onRef("b.workspace_id", "=", "i.workspace_id").onRef("b.record_id", "=", "i.other_record_id"))
    .select(["a.record_id as a_id", "a.created_at as a_at", "b.record_id as b_id", "b.created_at as b_at", "i.id as item_id"])
    .where("i.workspace_id", "=", q.workspaceId)
    .where("i.kind", "=", "duplicate")
    // As at an instant: suspected before it and not dismissed by then; else not dismissed now.
    .where((eb) =>
      asAt === undefined
        ? eb("i.status", "<>", "dismissed")
        : eb.and([
            eb("i.created_at", "<", asAt),
            eb.or([eb("i.status", "<>", "dismissed"), eb("i.resolved_at", "is", null), eb("i.resolved_at", ">=", asAt)]),
          ]),
    )
    .where((eb) => eb.or([inPeriod("a"), inPeriod("b")]))
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, a: { id: r.a_id, createdAt: iso(r.a_at) }, b: { id: r.b_id, createdAt: iso(r.b_at) } }));
}

/**
 * The audit trail's changes to these records at or after an instant, newest first — what to undo
 * to see them as they stood then (the data-quality KPIs "as at the period's end"; through
 * `audit_log_record`, a chunk of records a statement).
 */
export async function kpiChangesSince(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  recordIds: readonly string[],
  at: string,
): Promise<RecordChanges[]> {
  const out: RecordChanges[] = [];
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("audit_log")
      .select(["record_id", "seq", "at", "changes"])
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", recordIds.slice(i, i + CHUNK))
      .where("at", ">=", at)
      .orderBy("seq", "desc")
      .execute();
    out.push(...rows.map((r) => ({ recordId: r.record_id, at: iso(r.at), changes: d.parseJson(r.changes) as FieldChange[] })));
  }
  return out;
}

/** Each of these records' last audited change before an instant: its `updated_at` as it stood then. */
export async function kpiLastChangeBefore(
  db: Db,
  workspaceId: string,
  recordIds: readonly string[],
  at: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("audit_log")
      .select(["record_id", (eb) => eb.fn.max("at").as("last")])
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", recordIds.slice(i, i + CHUNK))
      .where("at", "<", at)
      .groupBy("record_id")
      .execute();
    for (const r of rows) if (r.last !== null) out.set(r.record_id, iso(r.last));
  }
  return out;
}
