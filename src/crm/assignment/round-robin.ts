/**
 * Simple round-robin over a pool (a team's members): the next active candidate after the last
 * one picked, in a stable order (by id), wrapping around.
 */
import type { OwnerStrategy } from "./strategy.js";

export interface RoundRobinTarget {
  strategy: "round_robin";
  /** The pool in words, for the reason: "team Sales". */
  pool: string;
}

export const roundRobin: OwnerStrategy<RoundRobinTarget> = ({ target, candidates, rotation, exclude }) => {
  const pool = target.pool;
  const eligible = [...candidates].filter((m) => m.active && !exclude.has(m.id)).sort((a, b) => a.id.localeCompare(b.id));
  if (eligible.length === 0)
    return { ok: false, why: `${pool} has no active member to assign${exclude.size > 0 ? " besides the current owner" : ""}` };
  const next = eligible.find((m) => rotation === undefined || m.id > rotation) ?? eligible[0];
  if (!next) return { ok: false, why: `${pool} has no active member to assign` };
  const after = rotation ? candidates.find((m) => m.id === rotation)?.name : undefined;
  return {
    ok: true,
    userId: next.id,
    why: `round-robin over ${pool}: ${next.name} is next${after ? ` after ${after}` : ""} (${eligible.length} eligible)`,
    rotation: next.id,
  };
};
