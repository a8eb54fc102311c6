/**
 * 046 — SLA endings by hour (issue 22; docs/kpis.md "How the figures are kept"): SLA attainment
 * counted a period's ended targets from `sla_clock_history` at every chart read, a cost that grew
 * with the targets (6.5 µs each on PostgreSQL: past 200 ms a chart above ~30,000 per period).
 * `kpi_sla_hourly` keeps, per workspace, policy and UTC hour (`YYYY-MM-DDTHH` of the history row's
 * `at`), the targets that ended met and missed; the store adds to it in the transaction that
 * appends the history rows (sql/sla.ts) and forgets a policy's rows with its clocks. An uncut
 * chart sums a period's rows (a few per policy and hour) instead of counting its targets.
 *
 * The key leads with the policy: a read takes the object's policies (a handful) and range-scans
 * each one's hours; the live upsert hits the same key.
 *
 * The backfill counts the existing history by the rule of sql/kpi-sla.ts: a target ends once —
 * met at a `stopped` row with outcome `met`; missed at its `breached` row, or at a `stopped` row
 * with outcome `missed` when the clock has no `breached` row; cancelled clocks count in neither.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

/** The backfill, whole (also what a test runs against the rollup kept live). */
export async function backfillKpiSlaHourly(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const pg = dialect === "postgres";
  const outcome = pg ? sql`(h.detail ->> 'outcome')` : sql`json_extract(h.detail, '$.outcome')`;
  const hour = pg ? sql`to_char(h.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24')` : sql`substr(h.at, 1, 13)`;
  const met = sql`h.kind = 'stopped' and ${outcome} = 'met'`;
  await sql`
    insert into kpi_sla_hourly (workspace_id, policy_id, hour, met, missed)
    select h.workspace_id, c.policy_id, ${hour},
      sum(case when ${met} then 1 else 0 end),
      sum(case when ${met} then 0 else 1 end)
    from sla_clock_history h
    join sla_clocks c on c.workspace_id = h.workspace_id and c.id = h.clock_id
    where h.kind = 'breached'
      or (h.kind = 'stopped' and (${outcome} = 'met' or (${outcome} = 'missed' and not exists (
        select 1 from sla_clock_history b
        where b.workspace_id = h.workspace_id and b.clock_id = h.clock_id and b.kind = 'breached'))))
    group by h.workspace_id, c.policy_id, ${hour}
  `.execute(db);
}

export function kpiSlaHourly(dialect: SqlDialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("kpi_sla_hourly")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("policy_id", "text", (c) => c.notNull())
        .addColumn("hour", "text", (c) => c.notNull())
        .addColumn("met", "integer", (c) => c.notNull())
        .addColumn("missed", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("kpi_sla_hourly_pk", ["workspace_id", "policy_id", "hour"])
        .execute();
      await backfillKpiSlaHourly(db, dialect);
    },
  };
}
