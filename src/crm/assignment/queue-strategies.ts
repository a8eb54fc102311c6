/**
 * The queue strategies, one file each, registered here over their names: a new strategy is one
 * file, its name in QUEUE_STRATEGY_NAMES and its detail in QueueDetail, and a name without its
 * registry line (or a registry line whose detail does not match its name) is a compile error.
 */
import { type LeastLoadedDetail, queueLeastLoaded } from "./queue-least-loaded.js";
import { queueRoundRobin, type RoundRobinDetail } from "./queue-round-robin.js";
import type { QueueStrategy } from "./queue-strategy.js";
import { queueWeighted, type WeightedDetail } from "./queue-weighted.js";

/** The names a queue's `strategy` may take, for the edge's schema (`z.enum(QUEUE_STRATEGY_NAMES)`). */
export const QUEUE_STRATEGY_NAMES = ["round_robin", "weighted_round_robin", "least_loaded"] as const;
export type QueueStrategyName = (typeof QUEUE_STRATEGY_NAMES)[number];

/** What each strategy says about its choice (JSON, for the reason record), by strategy. */
export type QueueDetail = RoundRobinDetail | WeightedDetail | LeastLoadedDetail;

export const QUEUE_STRATEGIES: { readonly [K in QueueStrategyName]: QueueStrategy<Extract<QueueDetail, { strategy: K }>> } = {
  round_robin: queueRoundRobin,
  weighted_round_robin: queueWeighted,
  least_loaded: queueLeastLoaded,
};
