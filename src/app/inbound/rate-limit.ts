/**
 * Per-source rate limits of the public endpoints (a hook, a form): a token bucket per key that
 * holds `perMin` tokens and refills at `perMin` per minute, so a burst up to the limit passes
 * and a steady flood is cut to the rate. In memory, per process: with several API processes
 * each allows the rate (documented in docs/inbound.md).
 */

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Refused by a rate limit; the edge answers 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Buckets idle this long are full again anyway; dropping them keeps the map small. */
const IDLE_MS = 10 * 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  take(key: string, perMin: number, nowMs: number): RateDecision {
    this.sweep(nowMs);
    const perMs = perMin / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: perMin, atMs: nowMs };
    bucket.tokens = Math.min(perMin, bucket.tokens + (nowMs - bucket.atMs) * perMs);
    bucket.atMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  private sweep(nowMs: number) {
    if (nowMs - this.lastSweep < IDLE_MS) return;
    this.lastSweep = nowMs;
    for (const [key, b] of this.buckets) if (nowMs - b.atMs > IDLE_MS) this.buckets.delete(key);
  }
}
