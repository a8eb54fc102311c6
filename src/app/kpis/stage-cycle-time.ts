/**
 * Stage cycle time (docs/kpis.md): the median days from a deal's creation to its first closing
 * (closed_won or closed_lost), over the deals whose first closing fell in the period. Medians do
 * not add up, so the closed deals' cycle times are read (two small columns, through
 * `kpi_records_closed`) and ranked here, the period's and each closing day's.
 */
import { byBucket, median, round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import type { KpiFigure } from "./kpi-figure.js";

const DAY_MS = 86_400_000;

export async function stageCycleTime(
  reads: Pick<KpiReads, "kpiCycleTimes">,
  q: Omit<CohortQuery, "limit" | "order" | "by">,
): Promise<KpiFigure> {
  const times = await reads.kpiCycleTimes({ ...q, object: "deal" });
  const days = (ts: ReadonlyArray<{ ms: number }>) => round2(median(ts.map((t) => t.ms / DAY_MS)));
  const series = [...byBucket(times, (t) => t.day, q.bucket ?? "day")].map(([day, ts]) => ({ day, value: days(ts), count: ts.length }));
  return { value: days(times), count: times.length, series };
}
