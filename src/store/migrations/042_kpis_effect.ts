/**
 * 042 — the effectiveness KPIs (issue 22; docs/kpis.md): onboarding handoff completion.
 *
 * - `kpi_records.won_at`: a deal's first move to closed_won after its creation; `company_id` a
 *   deal's and a ticket's company; `contact_id`, `category` a ticket's; `ready_at` the first
 *   instant an onboarding ticket had its company, contact and assignee filled — folded from the
 *   event log like the closings (engine/kpis/fold.ts).
 * - `kpi_records_won`: a period's wins of deals, without walking their creations; `kpi_records_ready`:
 *   the ready onboarding tickets of some companies from an instant. Partial, like
 *   `kpi_records_closed`: most facts are never won or ready and should not pay for an entry.
 * - The facts folded before this migration know none of this: they are emptied and the rollup's
 *   cursor put back to the log's start (as 039 did), so the running rollup folds the whole log again.
 *
 * Escalation completion needs nothing here: it is read from the SLA clocks' history through
 * `sla_clock_history_ended` (039).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function kpisEffect(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("kpi_records").addColumn("won_at", time).execute();
      await db.schema.alterTable("kpi_records").addColumn("company_id", "text").execute();
      await db.schema.alterTable("kpi_records").addColumn("contact_id", "text").execute();
      await db.schema.alterTable("kpi_records").addColumn("category", "text").execute();
      await db.schema.alterTable("kpi_records").addColumn("ready_at", time).execute();
      await sql`delete from kpi_records`.execute(db);
      await sql`delete from kpi_daily`.execute(db);
      // The consumer's name is runtime/kpis/rollup.ts KPI_CONSUMER; a migration keeps its own copy (they never change).
      await sql`update event_cursors set position = 0 where consumer = 'kpi-rollup'`.execute(db);
      await sql`create index kpi_records_won on kpi_records (workspace_id, object, won_at) where won_at is not null`.execute(db);
      await sql`create index kpi_records_ready on kpi_records (workspace_id, company_id, ready_at) where ready_at is not null`.execute(db);
    },
  };
}
