/**
 * Smooth weighted round-robin (the scheme nginx uses): on each pick every eligible member's
 * running credit grows by their weight, the member with the most credit is chosen (ties by id)
 * and pays back the eligible members' total weight. Over every run of total-weight picks with
 * the same eligible members, each is chosen exactly weight times, spread out rather than in
 * bursts. Members who are not eligible neither gain nor pay, so someone back from PTO resumes
 * with the credit they left with instead of a burst of catch-up picks.
 */
import type { QueueStrategy } from "./queue-strategy.js";

export interface WeightedDetail {
  strategy: "weighted_round_robin";
  /** The weight each eligible member counted with. */
  weights: Record<string, number>;
  /** Each eligible member's credit after this pick's increase, before the chosen one paid `total`. */
  credits: Record<string, number>;
  /** The eligible members' total weight: what the chosen one paid. */
  total: number;
  text: string;
}

/** The edge refuses weights that are not positive integers; one that slips through counts as 1, an even share. */
const weightOf = (w: number): number => (Number.isFinite(w) && w > 0 ? w : 1);

/** A stored credit, or 0 (state is JSON from the database: read only own, finite numbers). */
function creditOf(current: Record<string, number> | undefined, id: string): number {
  const v = current && Object.hasOwn(current, id) ? current[id] : undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export const queueWeighted: QueueStrategy<WeightedDetail> = ({ eligible, state }) => {
  const counted = eligible.map((m) => ({
    member: m,
    weight: weightOf(m.weight),
    credit: creditOf(state.current, m.id) + weightOf(m.weight),
  }));
  const total = counted.reduce((sum, c) => sum + c.weight, 0);
  // Eligible members come in id order, so keeping the first maximum breaks ties by id.
  const best = counted.reduce((b, c) => (c.credit > b.credit ? c : b));
  // Object.fromEntries defines own properties, so no id (even "__proto__") can reach a prototype.
  const current = Object.fromEntries([
    ...Object.entries(state.current ?? {}).filter(([, v]) => typeof v === "number" && Number.isFinite(v)),
    ...counted.map((c) => [c.member.id, c === best ? c.credit - total : c.credit] as const),
  ]);
  const detail: WeightedDetail = {
    strategy: "weighted_round_robin",
    weights: Object.fromEntries(counted.map((c) => [c.member.id, c.weight])),
    credits: Object.fromEntries(counted.map((c) => [c.member.id, c.credit])),
    total,
    text:
      `weighted round-robin: ${best.member.name} (weight ${best.weight}) has the highest running credit, ${best.credit}, ` +
      `of ${eligible.length} eligible with total weight ${total}`,
  };
  return { userId: best.member.id, state: { ...state, last: best.member.id, current }, detail };
};
