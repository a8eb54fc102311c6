/**
 * SLA attainment (docs/kpis.md): of the SLA targets that ended in the period, the share met.
 * The database counts each day's met and missed targets (store/sql/kpi-sla.ts); a share of
 * shares does not add up, so the period's figure is summed from the counts, not averaged from the days.
 */
import { percent, round2 } from "../../engine/kpis/summary.js";
import type { KpiReads, SlaOutcomeQuery } from "../../store/kpi-ports.js";
import type { KpiFigure, ListedRecord } from "./kpi-figure.js";

export async function slaAttainment(reads: Pick<KpiReads, "kpiSlaOutcomes">, q: SlaOutcomeQuery): Promise<KpiFigure> {
  const days = await reads.kpiSlaOutcomes(q);
  const met = days.reduce((a, d) => a + d.met, 0);
  const ended = days.reduce((a, d) => a + d.met + d.missed, 0);
  const series = days.map((d) => ({ day: d.day, value: round2(percent(d.met, d.met + d.missed)), count: d.met + d.missed }));
  return { value: round2(percent(met, ended)), count: ended, series };
}

/**
 * The records behind it: the records whose targets ended in the period, each with the percent of
 * its own targets met, the fewest met first (then the most missed, then the earliest end) — the
 * records of the missed targets at the top. Their targets add up to the figure's count.
 */
export async function slaRecords(reads: Pick<KpiReads, "kpiSlaRecords">, q: SlaOutcomeQuery, limit: number): Promise<ListedRecord[]> {
  const rows = await reads.kpiSlaRecords(q, limit);
  return rows.map((r) => ({ recordId: r.recordId, value: round2(percent(r.met, r.met + r.missed)), at: r.firstEndedAt }));
}
