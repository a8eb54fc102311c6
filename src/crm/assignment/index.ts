/**
 * The owner-choice strategies, one file each, registered here over the union of their targets:
 * routing adds a strategy (weighted, by capacity, by availability) as one file, its target in
 * the union and one registry line; a target without its line is a compile error.
 */
import { type CompanyOwnerTarget, companyOwner } from "./company-owner.js";
import { type PersonTarget, person } from "./person.js";
import { type RoundRobinTarget, roundRobin } from "./round-robin.js";
import type { OwnerChoice, OwnerStrategy, StrategyInput } from "./strategy.js";

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
