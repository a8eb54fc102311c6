/** Time and identity come in through ports so that tests and the seed can be deterministic. */
import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface IdGenerator {
  /** A new id, lexicographically increasing with time: lists sort by id = by creation. */
  next(): string;
}

/**
 * Cryptographic random numbers in [0, 1), drawn from a pooled buffer. ulid's default source asks
 * the operating system once per character (16 calls per new id): 5 % of the engine's CPU.
 */
function pooledRandom(): () => number {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] as number) / 4294967296;
  };
}

export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory(pooledRandom());
  return { next: () => next().toLowerCase() };
}

/**
 * Deterministic ids for the demo seed (same seed → same ids). Their time part is `startMs`, or,
 * given a clock, its instant at each id (seeded history, so that its ids sort with its times).
 */
export function seededIdGenerator(seed: number, startMs: number | (() => number)): IdGenerator {
  let state = seed >>> 0;
  const prng = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const next = monotonicFactory(prng);
  return { next: () => next(typeof startMs === "number" ? startMs : startMs()).toLowerCase() };
}

/**
 * Nudges a component of this process awake that would otherwise find new work only at its next
 * poll (the worker after a commit, the dispatcher after steps or a replay). Synchronous and
 * cheap. Components take their nudges as constructor arguments; who nudges whom is wired once,
 * in the composition root (see the map at the top of src/composition/root.ts).
 */
export type Nudge = () => void;
