/**
 * Failures counted per key over a sliding window, in this process's memory: the base of the
 * public edges' rate limits (sign-in, approval email links; docs/security.md). A key at its limit
 * waits until the oldest failure the limit counts ages out of the window. The keys kept are
 * bounded, the oldest forgotten first, so a flood of made-up keys cannot grow memory without end.
 */

/** Most keys kept at once. */
const MAX_KEYS = 100_000;

export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Seconds until `key` may try again under `limit` failures per window; 0 when it may now. */
  wait(key: string, limit: number): number {
    const t = this.now();
    const list = this.live(key, t);
    if (list.length < limit) return 0;
    const oldestCounted = list[list.length - limit] as number;
    return Math.max(1, Math.ceil((oldestCounted + this.windowMs - t) / 1000));
  }

  fail(key: string): void {
    const t = this.now();
    const list = this.live(key, t);
    list.push(t);
    // Re-inserted, so that the map's order is the keys' last failure: the eviction's "oldest".
    this.failures.delete(key);
    this.failures.set(key, list);
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private live(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.windowMs);
  }
}
