/**
 * Adoption (docs/kpis.md): of the records of the object created in the period, the share a
 * workflow's run was on — any workflow, or with a workflow chosen, that workflow (version). The
 * chosen workflow narrows what counts as reached, not the records: "handled" does not apply.
 */
import { percent, round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import { AppError } from "../errors.js";
import type { KpiFigure, ListedRecord } from "./kpi-figure.js";

export async function adoption(reads: Pick<KpiReads, "kpiAdoptionDays">, q: Omit<CohortQuery, "limit" | "order">): Promise<KpiFigure> {
  const { workflow, ...cohort } = q;
  const days = await reads.kpiAdoptionDays(cohort, workflow ? { id: workflow.id, version: workflow.version } : undefined);
  const records = days.reduce((a, d) => a + d.records, 0);
  const reached = days.reduce((a, d) => a + d.reached, 0);
  const series = days.map((d) => ({ day: d.day, value: round2(percent(d.reached, d.records)), count: d.records }));
  return { value: round2(percent(reached, records)), count: records, series };
}

/**
 * The records behind it: the same cohort, each with the runs that were on it (any workflow's, or the
 * chosen one's), the records no run reached first — "which leads did our automation miss?" — then
 * the oldest. A record with 0 is outside the numerator, any other inside it, so the list splits as
 * the figure does. `handled=false` asks for the records the workflow did not reach *instead of*
 * counting what it reached: the list already puts those first, and a list of only them would be
 * one the figure is not over — so it is refused, by name, rather than answered differently.
 */
export async function adoptionRecords(
  reads: Pick<KpiReads, "kpiAdoptionRecords">,
  q: Omit<CohortQuery, "limit" | "order">,
  limit: number,
): Promise<ListedRecord[]> {
  const { workflow, ...cohort } = q;
  if (workflow && !workflow.handled)
    throw new AppError("bad_request", "adoption's records do not take handled=false", [
      {
        path: ["handled"],
        code: "invalid_value",
        message: "adoption lists every record of the cohort, those the workflow never reached first: leave handled out (or true)",
      },
    ]);
  const rows = await reads.kpiAdoptionRecords(cohort, workflow ? { id: workflow.id, version: workflow.version } : undefined, limit);
  return rows.map((r) => ({ recordId: r.recordId, value: r.runs, at: r.createdAt }));
}
