/**
 * A queue's fallback when nobody in it is eligible: another queue, a user, or hold the item
 * unassigned. Queues falling back to each other in a ring would pass an item around forever, so
 * validation refuses a cycle; this finds one.
 */

export type QueueFallback = { queue: string } | { user: string } | { hold: true };

export interface QueueWithFallback {
  id: string;
  fallback?: QueueFallback | undefined;
}

/**
 * The first cycle of queue fallbacks, as the path of queue ids from the cycle's smallest id
 * round to it again (["A", "B", "A"]; a queue falling back to itself is ["A", "A"]), or undefined
 * when every chain ends in a user, a hold, no fallback or a queue not in the list (that last one
 * is a missing reference, reported by whoever resolves ids).
 */
export function findFallbackCycle(queues: readonly QueueWithFallback[]): string[] | undefined {
  const next = new Map<string, string | undefined>();
  for (const q of queues) next.set(q.id, q.fallback && "queue" in q.fallback ? q.fallback.queue : undefined);
  // Each queue has at most one fallback, so a walk is a single path; a queue cleared once leads to no cycle.
  const cleared = new Set<string>();
  for (const start of [...next.keys()].sort()) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let at: string | undefined = start;
    while (at !== undefined && next.has(at) && !cleared.has(at)) {
      const seen = onPath.get(at);
      if (seen !== undefined) {
        const ring = path.slice(seen);
        let smallest = at;
        for (const id of ring) if (id < smallest) smallest = id;
        const from = ring.indexOf(smallest);
        return [...ring.slice(from), ...ring.slice(0, from), smallest];
      }
      onPath.set(at, path.length);
      path.push(at);
      at = next.get(at);
    }
    for (const id of path) cleared.add(id);
  }
  return undefined;
}
