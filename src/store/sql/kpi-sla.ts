/**
 * SLA attainment's read (issue 22; docs/kpis.md): the SLA targets that ended in a period, met or
 * missed, per UTC day (or hour). Uncut, summed from the hourly rollup `kpi_sla_hourly` (migration
 * 046, kept by sql/sla.ts with the history); cut by owner or workflow, and for the drill-down,
 * counted by the database from the clocks' history (migration 024) through
 * `sla_clock_history_ended` (039) — never a walk of every clock.
 *
 * A target ends once: met when its clock stops with outcome `met`; missed at its `breached` row,
 * or — when the clock stopped past its target before a worker fired the breach — at the stop with
 * outcome `missed`. A missed stop after a breach is the same target ending again and is not counted;
 * a cancelled clock (its record deleted, merged, or no longer measured) is neither. The rollup's
 * upsert (sql/sla.ts `addSlaEndings`) and its backfill (migration 046) apply the same rule; a
 * property test holds the three together.
 */
import { type Kysely, sql } from "kysely";
import type { SlaOutcomeDay, SlaOutcomeQuery, SlaRecord } from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import { handledBy } from "./kpis.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

/** The period's ended targets (one history row each), cut by object, owner and workflow; the figure and its drill-down read the same rows. */
function endedTargets(db: Db, d: SqlDialect, q: SlaOutcomeQuery) {
  const outcome = d.jsonText("h.detail", "outcome");
  let query = db
    .selectFrom("sla_clock_history as h")
    .innerJoin("sla_clocks as c", (j) => j.onRef("c.workspace_id", "=", "h.workspace_id").onRef("c.id", "=", "h.clock_id"))
    .innerJoin("sla_policies as p", (j) => j.onRef("p.workspace_id", "=", "c.workspace_id").onRef("p.id", "=", "c.policy_id"))
    .where("h.workspace_id", "=", q.workspaceId)
    .where("h.kind", "in", ["breached", "stopped"])
    .where("h.at", ">=", q.from)
    .where("h.at", "<", q.to)
    .where("p.object", "=", q.object)
    .where((eb) =>
      eb.or([
        eb("h.kind", "=", "breached"),
        eb(outcome, "=", "met"),
        eb.and([
          eb(outcome, "=", "missed"),
          eb.not(
            eb.exists(
              eb
                .selectFrom("sla_clock_history as b")
                .select("b.seq")
                .where("b.workspace_id", "=", q.workspaceId)
                .whereRef("b.clock_id", "=", "h.clock_id")
                .where("b.kind", "=", "breached"),
            ),
          ),
        ]),
      ]),
    );
  if (q.ownerIds !== undefined) {
    // The record's owner as the KPI rollup last saw it written, as the cohort KPIs cut.
    const owned = db
      .selectFrom("kpi_records")
      .select("kpi_records.record_id")
      .where("kpi_records.workspace_id", "=", q.workspaceId)
      .where("kpi_records.owner_id", "in", q.ownerIds);
    query = query.where("c.record_id", "in", owned);
  }
  const w = q.workflow;
  if (w) query = query.where("c.record_id", w.handled ? "in" : "not in", handledBy(db, q.workspaceId, w));
  return query;
}

/** A target's end counts as met (1) or not (0). */
const metSum = (d: SqlDialect) =>
  sql<number>`sum(case when h.kind = 'stopped' and ${d.jsonText("h.detail", "outcome")} = 'met' then 1 else 0 end)`;

export async function kpiSlaOutcomes(db: Db, d: SqlDialect, q: SlaOutcomeQuery): Promise<SlaOutcomeDay[]> {
  if (q.ownerIds !== undefined && q.ownerIds.length === 0) return [];
  if (q.ownerIds === undefined && q.workflow === undefined && onTheHour(q.from) && onTheHour(q.to)) return fromRollup(db, q);
  const query = endedTargets(db, d, q);
  const bucket = q.bucket === "hour" ? d.utcHour("h.at") : d.utcDay("h.at");
  const rows = await query
    .select([bucket.as("day"), (eb) => eb.fn.countAll<number>().as("ended"), metSum(d).as("met")])
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return rows.map((r) => ({ day: r.day, met: Number(r.met), missed: Number(r.ended) - Number(r.met) }));
}

/** Whether an instant falls on a whole UTC hour: the rollup's cells cannot split an hour. */
const onTheHour = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms % 3_600_000 === 0;
};

/**
 * An uncut period from the hourly rollup (migration 046): the object's policies' cells of the
 * period's hours, summed per day (the hour's first 10 characters) or per hour. It reads a row per
 * policy and hour that had an ending, not one per target; the history read above answers the cuts,
 * which the rollup does not keep (the owner as the KPI rollup last saw it, the workflow's runs).
 */
async function fromRollup(db: Db, q: SlaOutcomeQuery): Promise<SlaOutcomeDay[]> {
  const hourOf = (iso: string) => new Date(iso).toISOString().slice(0, 13);
  const bucket = q.bucket === "hour" ? sql<string>`r.hour` : sql<string>`substr(r.hour, 1, 10)`;
  const rows = await db
    .selectFrom("kpi_sla_hourly as r")
    .innerJoin("sla_policies as p", (j) => j.onRef("p.workspace_id", "=", "r.workspace_id").onRef("p.id", "=", "r.policy_id"))
    .select([bucket.as("day"), (eb) => eb.fn.sum<number>("r.met").as("met"), (eb) => eb.fn.sum<number>("r.missed").as("missed")])
    .where("r.workspace_id", "=", q.workspaceId)
    .where("p.object", "=", q.object)
    .where("r.hour", ">=", hourOf(q.from))
    .where("r.hour", "<", hourOf(q.to))
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return rows.map((r) => ({ day: r.day, met: Number(r.met), missed: Number(r.missed) }));
}

/**
 * Its drill-down: the same ended targets grouped by the clock's record, the smallest share met
 * first, then the most missed, then the earliest end — summed by the database and cut at `limit`,
 * so a period of many targets sends only the records shown.
 */
export async function kpiSlaRecords(db: Db, d: SqlDialect, q: SlaOutcomeQuery, limit: number): Promise<SlaRecord[]> {
  if (q.ownerIds !== undefined && q.ownerIds.length === 0) return [];
  const met = metSum(d);
  const rows = await endedTargets(db, d, q)
    .select([
      "c.record_id as record_id",
      (eb) => eb.fn.countAll<number>().as("ended"),
      met.as("met"),
      (eb) => eb.fn.min<string>("h.at").as("first"),
    ])
    .groupBy("c.record_id")
    .orderBy(sql`${met} * 1.0 / count(*)`)
    .orderBy(sql`count(*) - ${met}`, "desc")
    .orderBy(sql`min(h.at)`)
    .orderBy("c.record_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    recordId: r.record_id,
    met: Number(r.met),
    missed: Number(r.ended) - Number(r.met),
    firstEndedAt: r.first,
  }));
}
