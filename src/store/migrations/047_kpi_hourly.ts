/**
 * 047 — the KPIs' hourly rollup (issue 22; docs/kpis.md "By hour").
 *
 * `kpi_hourly` is `kpi_daily` by UTC hour (`hour`, YYYY-MM-DDTHH): writes and creates per hour,
 * object, kind of actor and workflow, for the hourly series of a period of up to 7 days — "what
 * did the workflows do this afternoon, before and after v4 went live at 14:00". The rollup adds
 * to both in the same transaction (runtime/kpis/rollup.ts). Its primary key leads with the
 * workspace and the hour: a read is a range of hours of one workspace.
 *
 * The hours before this migration are in the event log, not in `kpi_daily`'s days: the facts and
 * days are emptied and the rollup's cursor put back to the log's start (as 039 and 042 did), so
 * the running rollup folds the whole log again and fills both.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function kpiHourly(_dialect: SqlDialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("kpi_hourly")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("hour", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("writes", "integer", (c) => c.notNull())
        .addColumn("creates", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("kpi_hourly_pk", ["workspace_id", "hour", "object", "actor_kind", "workflow_id"])
        .execute();
      await sql`delete from kpi_records`.execute(db);
      await sql`delete from kpi_daily`.execute(db);
      // The consumer's name is runtime/kpis/rollup.ts KPI_CONSUMER; a migration keeps its own copy (they never change).
      await sql`update event_cursors set position = 0 where consumer = 'kpi-rollup'`.execute(db);
    },
  };
}
