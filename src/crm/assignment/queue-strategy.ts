/**
 * The contract of a queue's strategy. Pure: the eligible members (never none, in stable id
 * order) and the queue's state come in; the member chosen, the state to store and the details
 * behind the choice (counters, weights, loads and a sentence) come out.
 *
 * The state is one JSON object per queue, shared by every strategy, so that switching a queue's
 * strategy keeps its place: each strategy reads and writes only the fields it uses and keeps the
 * rest. Every strategy records the member it picked in `last`.
 */
import type { QueueMember } from "./eligibility.js";

export interface QueueState {
  /** The member picked last (round-robin order; least-loaded ties rotate after it). */
  last?: string;
  /** Running credit per member of the smooth weighted round-robin. */
  current?: Record<string, number>;
}

/** The members a strategy chooses among: at least one, the type says so. */
export type Eligible = readonly [QueueMember, ...QueueMember[]];

export interface QueueStrategyInput {
  eligible: Eligible;
  state: QueueState;
  /** A member's name for the sentence (the last pick may no longer be eligible); the id when unknown. */
  nameOf: (userId: string) => string;
}

export interface QueuePick<Detail> {
  userId: string;
  state: QueueState;
  detail: Detail;
}

export type QueueStrategy<Detail> = (input: QueueStrategyInput) => QueuePick<Detail>;

/**
 * The members in rotation order after `last`: those whose id sorts after it, then from the top.
 * `last` need not be a member (they may have left or be ineligible now).
 */
export function rotationAfter<T extends { id: string }>(members: readonly [T, ...T[]], last: string | undefined): [T, ...T[]] {
  const split = last === undefined ? -1 : members.findIndex((m) => m.id > last);
  // A rotation of a non-empty list is non-empty; TypeScript cannot see that through slice.
  return (split < 0 ? [...members] : [...members.slice(split), ...members.slice(0, split)]) as [T, ...T[]];
}
