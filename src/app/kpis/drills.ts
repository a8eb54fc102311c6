/**
 * The records behind each cohort KPI (GET /api/v1/kpis/{key}/records; docs/kpis.md): which of the
 * cohort's records are listed, the ones that weigh most first, and the figure each one adds.
 * A KPI without an entry has no records to list: it counts writes, runs, SLA targets or overrides,
 * or its records (notifications per record, adoption) are not listed yet.
 */
import type { KpiKey } from "../../engine/kpis/definitions.js";
import type { RecordFact } from "../../engine/kpis/fold.js";
import type { CohortQuery } from "../../store/kpi-ports.js";

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
