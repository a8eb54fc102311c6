/**
 * AI predictions corrected (docs/kpis.md): of the predictions classify steps wrote into records of
 * the object in the period, the share a person changed to another value since — how often people
 * disagree with the model, day by day. Counted from the predictions kept (ai_predictions), not
 * folded: a correction is marked on its prediction, not written as an event of its own.
 */
import { type Grain, percent, round2 } from "../../engine/kpis/summary.js";
import type { StoreReads } from "../../store/ports.js";
import type { KpiFigure } from "./kpi-figure.js";

export async function predictionOverrides(
  reads: Pick<StoreReads, "predictions">,
  workspaceId: string,
  q: { object: string; from: string; to: string; grain: Grain },
): Promise<KpiFigure> {
  const days = await reads.predictions.overrideDays(workspaceId, { object: q.object }, q.from, q.to, q.grain);
  const applied = days.reduce((a, d) => a + d.applied, 0);
  const overridden = days.reduce((a, d) => a + d.overridden, 0);
  return {
    value: applied === 0 ? null : round2(percent(overridden, applied)),
    count: applied,
    series: days.map((d) => ({ day: d.day, value: round2(percent(d.overridden, d.applied)), count: d.applied })),
  };
}
