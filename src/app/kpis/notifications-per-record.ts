/**
 * Notifications per record (docs/kpis.md): the in-app notifications sent about a cohort's records
 * (any time up to now) divided by the records, the period's and each creation day's — counted by
 * the database per day (store/sql/kpi-notifications.ts), summed here.
 */
import { round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import type { KpiFigure, ListedRecord } from "./kpi-figure.js";

export async function notificationsPerRecord(
  reads: Pick<KpiReads, "kpiNotificationDays">,
  q: Omit<CohortQuery, "limit" | "order">,
): Promise<KpiFigure> {
  const days = await reads.kpiNotificationDays(q);
  const records = days.reduce((a, d) => a + d.records, 0);
  const sent = days.reduce((a, d) => a + d.notifications, 0);
  const series = days.map((d) => ({ day: d.day, value: round2(d.notifications / d.records), count: d.records }));
  return { value: records === 0 ? null : round2(sent / records), count: records, series };
}

/** The records behind it: every record of the cohort with its notifications, the most first, then the oldest (they sum to the figure's numerator). */
export async function notifiedRecords(
  reads: Pick<KpiReads, "kpiNotificationRecords">,
  q: Omit<CohortQuery, "limit" | "order">,
  limit: number,
): Promise<ListedRecord[]> {
  const rows = await reads.kpiNotificationRecords(q, limit);
  return rows.map((r) => ({ recordId: r.recordId, value: r.notifications, at: r.createdAt }));
}
