/**
 * 037 — KPIs (issue 22; docs/kpis.md), kept incrementally by a consumer of the event log
 * (runtime/kpis/rollup.ts, cursor `kpi-rollup` in `event_cursors`) and rebuildable from scratch.
 *
 * - `kpi_records`: one row per record the log has seen created — the per-record facts the cohort
 *   KPIs are read from (and drilled into): its object, creation instant, owner, the writes people,
 *   workflows and others made to it after its creation, and for leads the first response (call,
 *   email or meeting by a person). Index `kpi_records_cohort`: a period's records of an object.
 * - `kpi_daily`: counts per UTC day, object, kind of actor and workflow — writes and creates —
 *   summed over a period for the trend KPIs (automation share). Its primary key is the rollup's
 *   grain, so adding to it is one upsert.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function kpis(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  const big = dialect === "postgres" ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("kpi_records")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("created_day", "text", (c) => c.notNull())
        .addColumn("owner_id", "text")
        .addColumn("person_writes", "integer", (c) => c.notNull())
        .addColumn("workflow_writes", "integer", (c) => c.notNull())
        .addColumn("other_writes", "integer", (c) => c.notNull())
        .addColumn("responded_at", time)
        .addColumn("response_ms", big)
        .addPrimaryKeyConstraint("kpi_records_pk", ["workspace_id", "record_id"])
        .execute();
      await db.schema.createIndex("kpi_records_cohort").on("kpi_records").columns(["workspace_id", "object", "created_at"]).execute();
      await db.schema
        .createTable("kpi_daily")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("writes", "integer", (c) => c.notNull())
        .addColumn("creates", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("kpi_daily_pk", ["workspace_id", "day", "object", "actor_kind", "workflow_id"])
        .execute();
    },
  };
}
