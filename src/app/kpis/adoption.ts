/**
 * Adoption (docs/kpis.md): of the records of the object created in the period, the share a
 * workflow's run was on — any workflow, or with a workflow chosen, that workflow (version). The
 * chosen workflow narrows what counts as reached, not the records: "handled" does not apply.
 */
import { percent, round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery, KpiReads } from "../../store/kpi-ports.js";
import type { KpiFigure } from "./kpi-figure.js";

export async function adoption(reads: Pick<KpiReads, "kpiAdoptionDays">, q: Omit<CohortQuery, "limit" | "order">): Promise<KpiFigure> {
  const { workflow, ...cohort } = q;
  const days = await reads.kpiAdoptionDays(cohort, workflow ? { id: workflow.id, version: workflow.version } : undefined);
  const records = days.reduce((a, d) => a + d.records, 0);
  const reached = days.reduce((a, d) => a + d.reached, 0);
  const series = days.map((d) => ({ day: d.day, value: round2(percent(d.reached, d.records)), count: d.records }));
  return { value: round2(percent(reached, records)), count: records, series };
}
