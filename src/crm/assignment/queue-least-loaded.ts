/**
 * Least-loaded: the eligible member with the lowest load for their capacity (open items ÷
 * capacity; a member without a capacity ranks by their open items). Members with equally low
 * loads take turns in round-robin order after the last pick, so a quiet queue still rotates.
 */
import type { QueueMember } from "./eligibility.js";
import { type QueueStrategy, rotationAfter } from "./queue-strategy.js";

export interface MemberLoad {
  userId: string;
  load: number;
  capacity?: number;
  /** What was compared: load ÷ capacity, the load itself without a capacity, null for a capacity of 0 (no room; ranked last). */
  ratio: number | null;
}

export interface LeastLoadedDetail {
  strategy: "least_loaded";
  /** Every eligible member's load, in id order. */
  loads: MemberLoad[];
  /** How many shared the lowest ratio (the rotation decided among them). */
  tied: number;
  /** The member picked before this one, when there was one. */
  after?: string;
  text: string;
}

function loadOf(member: QueueMember): MemberLoad {
  const load = member.load !== undefined && Number.isFinite(member.load) ? member.load : 0;
  const { capacity } = member;
  if (capacity === undefined) return { userId: member.id, load, ratio: load };
  return { userId: member.id, load, capacity, ratio: capacity > 0 ? load / capacity : null };
}

const rank = (l: MemberLoad): number => l.ratio ?? Number.POSITIVE_INFINITY;

const describe = (l: MemberLoad): string => (l.capacity === undefined ? `${l.load} open` : `${l.load} of ${l.capacity}`);

export const queueLeastLoaded: QueueStrategy<LeastLoadedDetail> = ({ eligible, state, nameOf }) => {
  const loads = eligible.map(loadOf);
  // The first lowest in rotation order after the last pick: strict `<` keeps the earlier of equals.
  const chosen = rotationAfter(eligible, state.last).reduce((best, m) => (rank(loadOf(m)) < rank(loadOf(best)) ? m : best));
  const chosenLoad = loadOf(chosen);
  const tied = loads.filter((l) => rank(l) === rank(chosenLoad)).length;
  const rotation =
    tied > 1 ? `; ${tied} tied, ${chosen.name} is next in rotation${state.last === undefined ? "" : ` after ${nameOf(state.last)}`}` : "";
  const detail: LeastLoadedDetail = {
    strategy: "least_loaded",
    loads,
    tied,
    text: `least loaded: ${chosen.name} has the lowest load, ${describe(chosenLoad)}, of ${eligible.length} eligible${rotation}`,
  };
  if (state.last !== undefined) detail.after = state.last;
  return { userId: chosen.id, state: { ...state, last: chosen.id }, detail };
};
