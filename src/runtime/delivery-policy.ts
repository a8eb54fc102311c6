/**
 * How the dispatcher retries, gives up, and spares a struggling receiver (engineering.md §3.4).
 * No IO: the clock (`nowMs`) and randomness come in as arguments, so a simulated clock drives the
 * tests. Options are validated and compiled once; each field documents its default.
 */
import type { DeliveryOutcome } from "../connectors/contract.js";

export interface DeliveryPolicyOptions {
  /** First retry delay before jitter. Default 1,000 ms. */
  baseDelayMs?: number;
  /** Growth of the delay per attempt. Default 2. */
  factor?: number;
  /** Longest delay backoff alone will choose. Default 600,000 ms (10 min). */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a receiver asking for more gets this. Default 3,600,000 ms (1 h). */
  maxRetryAfterMs?: number;
  /** Attempts before an item becomes a dead letter. Default 8. */
  maxAttempts?: number;
  /** Consecutive failures of a destination that open its circuit. Default 5. */
  breakerThreshold?: number;
  /** How long an open circuit waits before letting one probe through. Default 30,000 ms. */
  breakerCooldownMs?: number;
  /** Deliveries per second per connector unless its config says otherwise. Default 20. */
  ratePerSecond?: number;
  /** Deliveries in flight per connector unless its config says otherwise. Default 4. */
  concurrency?: number;
}

export type CompiledDeliveryPolicy = Readonly<Required<DeliveryPolicyOptions>>;

export const DEFAULT_DELIVERY_POLICY: CompiledDeliveryPolicy = Object.freeze({
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 600_000,
  maxRetryAfterMs: 3_600_000,
  maxAttempts: 8,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  ratePerSecond: 20,
  concurrency: 4,
});

export function compileDeliveryPolicy(options: DeliveryPolicyOptions = {}): CompiledDeliveryPolicy {
  const compiled = { ...DEFAULT_DELIVERY_POLICY, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const integers = ["maxAttempts", "breakerThreshold", "concurrency"] as const;
  for (const [name, value] of Object.entries(compiled)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw new RangeError(`delivery policy: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  for (const name of integers) {
    if (!Number.isInteger(compiled[name]) || compiled[name] < 1)
      throw new RangeError(`delivery policy: ${name} must be an integer ≥ 1, got ${compiled[name]}`);
  }
  if (compiled.factor < 1) throw new RangeError(`delivery policy: factor must be ≥ 1, got ${compiled.factor}`);
  if (compiled.ratePerSecond <= 0) throw new RangeError(`delivery policy: ratePerSecond must be > 0, got ${compiled.ratePerSecond}`);
  return Object.freeze(compiled);
}

/** Full jitter: a uniformly random delay between 0 and min(cap, base × factor^(attempt−1)). */
export function backoffMs(policy: CompiledDeliveryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export type Verdict = { action: "delivered" } | { action: "retry"; delayMs: number; why: string } | { action: "dead"; why: string };

/** What to do after attempt number `attempt` (1-based) ended with `outcome`. */
export function judge(policy: CompiledDeliveryPolicy, outcome: DeliveryOutcome, attempt: number, random: () => number): Verdict {
  if (outcome.ok) return { action: "delivered" };
  if (!outcome.retryable) return { action: "dead", why: `permanent failure: ${outcome.error}` };
  if (attempt >= policy.maxAttempts) return { action: "dead", why: `gave up after ${attempt} attempts: ${outcome.error}` };
  const backoff = backoffMs(policy, attempt, random);
  // Retry-After is the receiver's minimum; jittered backoff may still choose later.
  const asked = outcome.retryAfterMs === undefined ? 0 : Math.min(policy.maxRetryAfterMs, outcome.retryAfterMs);
  const delayMs = Math.max(backoff, asked);
  const why = asked > backoff ? `receiver asked to wait ${Math.round(asked / 1000)} s` : `backoff after attempt ${attempt}`;
  return { action: "retry", delayMs, why };
}

type BreakerState = { state: "closed"; failures: number } | { state: "open"; until: number } | { state: "half_open"; probing: boolean };

/**
 * One circuit per destination: closed → open after `breakerThreshold` consecutive failures →
 * half-open after `breakerCooldownMs`, when exactly one probe may pass; its success closes the
 * circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, BreakerState>();

  constructor(private readonly policy: CompiledDeliveryPolicy) {}

  /** 0 when a delivery to `destination` may start now (and, half-open, takes the probe); else ms to wait. */
  admit(destination: string, nowMs: number): number {
    const c = this.circuits.get(destination);
    if (!c || c.state === "closed") return 0;
    if (c.state === "open") {
      if (nowMs < c.until) return c.until - nowMs;
      this.circuits.set(destination, { state: "half_open", probing: true });
      return 0;
    }
    if (c.probing) return this.policy.breakerCooldownMs;
    c.probing = true;
    return 0;
  }

  /** Records the end of a delivery that `admit` let through. */
  record(destination: string, success: boolean, nowMs: number): void {
    const c = this.circuits.get(destination) ?? { state: "closed", failures: 0 };
    if (success) {
      this.circuits.delete(destination);
      return;
    }
    if (c.state === "half_open" || (c.state === "closed" && c.failures + 1 >= this.policy.breakerThreshold)) {
      this.circuits.set(destination, { state: "open", until: nowMs + this.policy.breakerCooldownMs });
    } else if (c.state === "closed") {
      this.circuits.set(destination, { state: "closed", failures: c.failures + 1 });
    }
  }

  stateOf(destination: string): BreakerState["state"] {
    return this.circuits.get(destination)?.state ?? "closed";
  }
}

/** A token bucket per key: `rate` tokens a second, holding at most `rate` (one second's burst). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** 0 when a token was taken now; else ms until one will be available (nothing taken). */
  take(key: string, rate: number, nowMs: number): number {
    const b = this.buckets.get(key) ?? { tokens: rate, at: nowMs };
    const tokens = Math.min(rate, b.tokens + ((nowMs - b.at) / 1_000) * rate);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
      return 0;
    }
    this.buckets.set(key, { tokens, at: nowMs });
    return Math.ceil(((1 - tokens) / rate) * 1_000);
  }
}

/** Deliveries in flight per key, capped. */
export class ConcurrencyLimiter {
  private readonly inFlight = new Map<string, number>();

  tryAcquire(key: string, limit: number): boolean {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= limit) return false;
    this.inFlight.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }
}
