/**
 * The records behind each cohort KPI (GET /api/v1/kpis/{key}/records; docs/kpis.md): which of the
 * cohort's records are listed, the ones that weigh most first, and the figure each one adds.
 * The effectiveness KPIs are not cohorts of created records: their records are listed by their
 * own reads (LISTS) — the records whose SLA escalations were decided, the deals won.
 * Adoption and notifications per record are cohorts too, but their value (runs, notifications) is
 * not a fact the rollup keeps: they are listed by their own reads, as is SLA attainment (records of
 * the targets ended). A KPI without an entry in either has no records to list: it counts writes,
 * runs or overrides.
 */
import type { KpiKey } from "../../engine/kpis/definitions.js";
import type { RecordFact } from "../../engine/kpis/fold.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import { adoptionRecords } from "./adoption.js";
import { escalatedRecords } from "./escalation-completion.js";
import type { ListedRecord } from "./kpi-figure.js";
import type { KpiFilters } from "./kpi-query.js";
import { notifiedRecords } from "./notifications-per-record.js";
import { wonDeals } from "./onboarding-handoff.js";
import { slaRecords } from "./sla-attainment.js";

export interface Drill {
  /** The cohort's narrowing: only answered leads; deals by their closing. */
  narrow: Pick<CohortQuery, "responded" | "by">;
  order: NonNullable<CohortQuery["order"]>;
  /** In the KPI's unit. */
  value: (f: RecordFact) => number | null;
}

export const DRILLS: Partial<Record<KpiKey, Drill>> = {
  lead_response_time: {
    narrow: { responded: true },
    order: "slowest",
    value: (f) => (f.responseMs === null ? null : f.responseMs / 60_000),
  },
  manual_touches_per_record: { narrow: {}, order: "most_touched", value: (f) => f.personWrites },
  stage_cycle_time: {
    narrow: { by: "closed" },
    order: "longest_cycle",
    value: (f) => (f.cycleMs === null ? null : f.cycleMs / 86_400_000),
  },
};

export type ListDrill = (
  reads: KpiReads,
  cut: Omit<CohortQuery, "limit" | "order">,
  filters: KpiFilters,
  now: Date,
) => Promise<ListedRecord[]>;

/**
 * The lists cut in the database read one more than `limit`, so that listRecords can say `truncated`.
 */
export const LISTS: Partial<Record<KpiKey, ListDrill>> = {
  // Runs on each record, none first ("which leads did our automation miss?"), then the oldest.
  adoption: (reads, cut, filters) => adoptionRecords(reads, cut, filters.limit + 1),
  // Notifications about each record, the most first.
  notifications_per_record: (reads, cut, filters) => notifiedRecords(reads, cut, filters.limit + 1),
  // Each record's own SLA targets met, percent; the fewest first.
  sla_attainment: (reads, cut, filters) => slaRecords(reads, cut, filters.limit + 1),
  // Each record's own escalations resolved in time, percent; the fewest first.
  escalation_completion: (reads, cut, _filters, now) => escalatedRecords(reads, cut, now),
  // Days from the win to the onboarding ticket being ready, none first, then the slowest.
  onboarding_handoff_completion: (reads, cut, filters, now) => wonDeals(reads, cut, filters.onboardingDays, now),
};

/** A listed KPI's records, at most `filters.limit`, with their creation and owner from the rollup's facts. */
export async function listRecords(
  reads: KpiReads,
  list: ListDrill,
  cut: Omit<CohortQuery, "limit" | "order">,
  filters: KpiFilters,
  now: Date,
): Promise<{
  data: Array<{ id: string; object: string; created_at: string; owner_id: string | null; value: number | null }>;
  truncated: boolean;
}> {
  const rows = await list(reads, cut, filters, now);
  const shown = rows.slice(0, filters.limit);
  const facts = new Map(
    (
      await reads.getKpiRecords(
        cut.workspaceId,
        shown.map((r) => r.recordId),
      )
    ).map((f) => [f.recordId, f]),
  );
  const data = shown.map((r) => {
    const f = facts.get(r.recordId);
    return {
      id: r.recordId,
      object: f?.object ?? cut.object,
      created_at: f?.createdAt ?? r.at,
      owner_id: f?.ownerId ?? null,
      value: r.value,
    };
  });
  return { data, truncated: rows.length > filters.limit };
}
