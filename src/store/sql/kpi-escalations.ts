/**
 * Escalation completion's read (issue 22; docs/kpis.md): the SLA escalations — `breached` and
 * `escalated` rows of the clocks' history (migration 024) — that fired in a period, through
 * `sla_clock_history_ended` (039), cut like SLA attainment (the policy's object, the record's owner
 * as the KPI rollup keeps it, a workflow's records or not); then, for just those clocks, their plan
 * and the rest of their history (the levels fired after, the stop with its consumed business time).
 * Whether each was resolved within its next target is the pure engine/kpis/escalations.ts.
 */
import type { Kysely } from "kysely";
import type { EscalationRow, SlaOutcomeQuery } from "../kpi-ports.js";
import type { SlaClockEvent, SlaClockRow } from "../sla-ports.js";
import type { SqlDialect } from "./dialect.js";
import { handledBy } from "./kpis.js";
import type { Database } from "./schema.js";
import { slaClockHistories, toClock } from "./sla.js";

type Db = Kysely<Database>;
const CHUNK = 500;

export async function kpiEscalations(db: Db, d: SqlDialect, q: SlaOutcomeQuery): Promise<EscalationRow[]> {
  if (q.ownerIds !== undefined && q.ownerIds.length === 0) return [];
  let query = db
    .selectFrom("sla_clock_history as h")
    .innerJoin("sla_clocks as c", (j) => j.onRef("c.workspace_id", "=", "h.workspace_id").onRef("c.id", "=", "h.clock_id"))
    .innerJoin("sla_policies as p", (j) => j.onRef("p.workspace_id", "=", "c.workspace_id").onRef("p.id", "=", "c.policy_id"))
    .where("h.workspace_id", "=", q.workspaceId)
    .where("h.kind", "in", ["breached", "escalated"])
    .where("h.at", ">=", q.from)
    .where("h.at", "<", q.to)
    .where("p.object", "=", q.object);
  if (q.ownerIds !== undefined) {
    const owned = db
      .selectFrom("kpi_records")
      .select("kpi_records.record_id")
      .where("kpi_records.workspace_id", "=", q.workspaceId)
      .where("kpi_records.owner_id", "in", q.ownerIds);
    query = query.where("c.record_id", "in", owned);
  }
  const w = q.workflow;
  if (w) query = query.where("c.record_id", w.handled ? "in" : "not in", handledBy(db, q.workspaceId, w));
  const fired = await query.select(["h.clock_id", "h.at", "h.detail"]).orderBy("h.at").orderBy("h.clock_id").execute();
  if (fired.length === 0) return [];
  const ids = [...new Set(fired.map((f) => f.clock_id))];
  const clocks = new Map<string, SlaClockRow>();
  const histories = new Map<string, SlaClockEvent[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows = await db.selectFrom("sla_clocks").selectAll().where("workspace_id", "=", q.workspaceId).where("id", "in", part).execute();
    for (const r of rows) clocks.set(r.id, toClock(d, r));
    for (const [id, h] of await slaClockHistories(db, d, q.workspaceId, part)) histories.set(id, h);
  }
  return fired.flatMap((f) => {
    const clock = clocks.get(f.clock_id);
    if (!clock) return [];
    const history = histories.get(f.clock_id) ?? [];
    const stop = history.find((h) => h.kind === "stopped");
    const level = Number((d.parseJson(f.detail) as { level?: unknown }).level);
    const consumed = stop?.detail.consumed_ms;
    return [
      {
        clockId: clock.id,
        recordId: clock.recordId,
        level: Number.isFinite(level) ? level : 1,
        firedAt: f.at,
        plan: clock.plan,
        firedLevels: history
          .filter((h) => h.kind === "breached" || h.kind === "escalated")
          .map((h) => Number(h.detail.level))
          .filter(Number.isFinite),
        stop: stop
          ? { at: stop.at, outcome: String(stop.detail.outcome ?? ""), consumedMs: typeof consumed === "number" ? consumed : null }
          : null,
      },
    ];
  });
}
