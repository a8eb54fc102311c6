/**
 * The owner-choice strategies, one file each, registered here over the union of their targets:
 * routing adds a strategy (weighted, by capacity, by availability) as one file, its target in
 * the union and one registry line; a target without its line is a compile error.
 */
import { type CompanyOwnerTarget, companyOwner } from "./company-owner.js";
import { type PersonTarget, person } from "./person.js";
import { type RoundRobinTarget, roundRobin } from "./round-robin.js";
import type { OwnerChoice, OwnerStrategy, StrategyInput } from "./strategy.js";

// Queue routing: availability, eligibility, the queue strategies and the fallback check.
export {
  type Availability,
  type AvailabilityReason,
  type AvailabilityVerdict,
  judgeAvailability,
  overlappingSpans,
  type Period,
  type Span,
  WEEKDAYS,
  type Weekday,
  type WorkingHours,
} from "./availability.js";
export {
  type CandidateVerdict,
  type Eligibility,
  type EligibilityOptions,
  type ExclusionReason,
  judgeEligibility,
  type QueueMember,
} from "./eligibility.js";
export { findFallbackCycle, type QueueFallback, type QueueWithFallback } from "./fallback.js";
export { chooseFromQueue, type QueueDecision, type QueueInput, type QueueSpec } from "./queue.js";
export type { LeastLoadedDetail, MemberLoad } from "./queue-least-loaded.js";
export type { RoundRobinDetail } from "./queue-round-robin.js";
export { QUEUE_STRATEGIES, QUEUE_STRATEGY_NAMES, type QueueDetail, type QueueStrategyName } from "./queue-strategies.js";
export type { Eligible, QueuePick, QueueState, QueueStrategy, QueueStrategyInput } from "./queue-strategy.js";
export type { WeightedDetail } from "./queue-weighted.js";
export type { Candidate, OwnerChoice, OwnerStrategy, RotationState, StrategyInput } from "./strategy.js";

/** Whom a strategy chooses among, and what it needs to say why. */
export type OwnerTarget = RoundRobinTarget | PersonTarget | CompanyOwnerTarget;

export const OWNER_STRATEGIES: { readonly [K in OwnerTarget["strategy"]]: OwnerStrategy<Extract<OwnerTarget, { strategy: K }>> } = {
  round_robin: roundRobin,
  person,
  company_owner: companyOwner,
};

/** The owner the target's strategy chooses, the rotation's new state, and why. */
export function chooseOwner(input: StrategyInput<OwnerTarget>): OwnerChoice {
  // The entry under the target's strategy is the one for that target; TypeScript does not correlate them.
  const strategy = OWNER_STRATEGIES[input.target.strategy] as OwnerStrategy<OwnerTarget>;
  return strategy(input);
}
