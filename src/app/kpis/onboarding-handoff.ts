/**
 * Onboarding handoff completion (docs/kpis.md): of the deals first moved to Closed Won in the
 * period, the share whose company got a ready onboarding ticket (company, contact and assignee
 * filled) within the window after the win — `onboarding_days`, 3 by default. A deal won less than
 * the window ago with no ready ticket yet is still pending and left out until the window passes.
 * The wins come through `kpi_records_won`, the company's ready tickets through `kpi_records_ready`;
 * the matching is the pure engine/kpis/handoff.ts. The series is by the day of the win.
 */
import { type Handoff, handoffs } from "../../engine/kpis/handoff.js";
import { byBucket, percent, round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import type { KpiFigure, ListedRecord } from "./kpi-figure.js";

const DAY_MS = 86_400_000;
/** The wins of one period read at most: far more deals than a workspace wins in the longest period (400 days). */
const MAX_WINS = 100_000;

type Reads = Pick<KpiReads, "kpiCohort" | "kpiReadyTickets">;

async function decided(reads: Reads, q: Omit<CohortQuery, "limit" | "order" | "by">, days: number, now: Date): Promise<Handoff[]> {
  const deals = await reads.kpiCohort({ ...q, object: "deal", by: "won", order: "won", limit: MAX_WINS });
  if (deals.length === 0) return [];
  const companies = deals.flatMap((d) => (d.companyId === null ? [] : [d.companyId]));
  const tickets = companies.length === 0 ? [] : await reads.kpiReadyTickets(q.workspaceId, companies, q.from);
  const withinMs = days * DAY_MS;
  const wins = deals.map((d) => ({ recordId: d.recordId, wonAt: d.wonAt as string, companyId: d.companyId }));
  // Pending: the window has not passed and no ticket is ready yet — it may still be handed off in time.
  return handoffs(wins, tickets, withinMs).filter((h) => h.inTime || Date.parse(h.wonAt) + withinMs < now.getTime());
}

const share = (list: readonly Handoff[]) => round2(percent(list.filter((h) => h.inTime).length, list.length));

export async function onboardingHandoff(
  reads: Reads,
  q: Omit<CohortQuery, "limit" | "order" | "by">,
  days: number,
  now: Date,
): Promise<KpiFigure> {
  const list = await decided(reads, q, days, now);
  const series = [...byBucket(list, (h) => h.wonAt, q.bucket ?? "day")].map(([day, hs]) => ({ day, value: share(hs), count: hs.length }));
  return { value: share(list), count: list.length, series };
}

/** The deals in the figure, each with the days from its win to its ticket being ready (null: none), those without first, then the slowest. */
export async function wonDeals(
  reads: Reads,
  q: Omit<CohortQuery, "limit" | "order" | "by">,
  days: number,
  now: Date,
): Promise<ListedRecord[]> {
  return (await decided(reads, q, days, now))
    .map((h) => ({ recordId: h.recordId, value: h.afterMs === null ? null : round2(h.afterMs / DAY_MS), at: h.wonAt }))
    .sort(
      (a, b) =>
        (a.value === null ? 0 : 1) - (b.value === null ? 0 : 1) ||
        (b.value ?? 0) - (a.value ?? 0) ||
        a.at.localeCompare(b.at) ||
        a.recordId.localeCompare(b.recordId),
    );
}
