/**
 * Simple round-robin over a queue's eligible members: the next id after the last one picked,
 * wrapping around, so each gets every k-th item.
 */
import { type QueueStrategy, rotationAfter } from "./queue-strategy.js";

export interface RoundRobinDetail {
  strategy: "round_robin";
  /** The member picked before this one, when there was one. */
  after?: string;
  eligibleCount: number;
  text: string;
}

export const queueRoundRobin: QueueStrategy<RoundRobinDetail> = ({ eligible, state, nameOf }) => {
  const [next] = rotationAfter(eligible, state.last);
  const after = state.last === undefined ? "" : ` after ${nameOf(state.last)}`;
  const detail: RoundRobinDetail = {
    strategy: "round_robin",
    eligibleCount: eligible.length,
    text: `round-robin: ${next.name} is next${after} (${eligible.length} eligible)`,
  };
  if (state.last !== undefined) detail.after = state.last;
  return { userId: next.id, state: { ...state, last: next.id }, detail };
};
