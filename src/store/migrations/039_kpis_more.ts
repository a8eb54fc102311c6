/**
 * 039 — more KPIs (issue 22; docs/kpis.md): SLA attainment, stage cycle time, notifications per record.
 *
 * - `kpi_records.closed_at`, `cycle_ms`: the instant a deal first reached a closed stage
 *   (closed_won, closed_lost) and the time from its creation to it, folded from the event log like
 *   the first response (engine/kpis/fold.ts). Stage cycle time is over the deals that closed in
 *   the period, so index `kpi_records_closed` reads a period's closings of an object without
 *   walking its creations.
 *   The facts folded before this migration know no closings: they are emptied and the rollup's
 *   cursor put back to the log's start, so that the running rollup folds the whole log again on
 *   its next pass (what `handoff kpis rebuild` does) instead of leaving old deals without a cycle.
 * - `sla_clock_history_ended`: SLA attainment counts the targets that ended in a period — a clock's
 *   `breached` and `stopped` rows by instant. Without it the read walks every workspace's clock
 *   history (the primary key leads with the clock).
 * - `notifications_record`: notifications per record counts a cohort's notifications by record;
 *   the existing indexes lead with the user.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function kpisMore(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  const big = dialect === "postgres" ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("kpi_records").addColumn("closed_at", time).execute();
      await db.schema.alterTable("kpi_records").addColumn("cycle_ms", big).execute();
      await sql`delete from kpi_records`.execute(db);
      await sql`delete from kpi_daily`.execute(db);
      // The consumer's name is runtime/kpis/rollup.ts KPI_CONSUMER; a migration keeps its own copy (they never change).
      await sql`update event_cursors set position = 0 where consumer = 'kpi-rollup'`.execute(db);
      // Partial: most facts never close (leads, activities), and their inserts and upserts should
      // not pay for an index entry (measured: the full index cost the rollup a third of its rate on SQLite).
      await sql`create index kpi_records_closed on kpi_records (workspace_id, object, closed_at) where closed_at is not null`.execute(db);
      await db.schema.createIndex("notifications_record").on("notifications").columns(["workspace_id", "record_id"]).execute();
      await db.schema.createIndex("sla_clock_history_ended").on("sla_clock_history").columns(["workspace_id", "kind", "at"]).execute();
    },
  };
}
