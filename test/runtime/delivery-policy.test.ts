/** The delivery policy on a simulated clock: backoff, Retry-After, give-up, breaker, rate and concurrency caps. */
import { describe, expect, it } from "vitest";
import type { DeliveryOutcome } from "../../src/connectors/contract.js";
import { retryAfterMs as parseRetryAfter } from "../../src/connectors/http-outcome.js";
import {
  backoffMs,
  CircuitBreaker,
  ConcurrencyLimiter,
  compileDeliveryPolicy,
  DEFAULT_DELIVERY_POLICY,
  judge,
  RateLimiter,
} from "../../src/runtime/delivery-policy.js";

const policy = compileDeliveryPolicy();
const max = () => 0.999999;
const half = () => 0.5;
const fail = (over: Partial<Extract<DeliveryOutcome, { ok: false }>> = {}): DeliveryOutcome => ({
  ok: false,
  retryable: true,
  error: "HTTP 503",
  status: 503,
  ...over,
});

describe("delivery policy", () => {
  it("compiles documented defaults and refuses nonsense, naming the option", () => {
    expect(policy).toEqual(DEFAULT_DELIVERY_POLICY);
    expect(policy).toMatchObject({ baseDelayMs: 1_000, factor: 2, maxDelayMs: 600_000, maxAttempts: 8, ratePerSecond: 20 });
    expect(compileDeliveryPolicy({ baseDelayMs: 50 }).baseDelayMs).toBe(50);
    expect(() => compileDeliveryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => compileDeliveryPolicy({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
    expect(() => compileDeliveryPolicy({ ratePerSecond: 0 })).toThrow(/ratePerSecond/);
  });

  it("backs off exponentially with full jitter, capped at 10 minutes", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(policy, a, max))).toEqual([999, 1_999, 3_999, 7_999]);
    expect(backoffMs(policy, 30, max)).toBe(599_999);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
    expect(backoffMs(policy, 3, half)).toBe(2_000);
  });

  it("reads Retry-After as seconds or an HTTP-date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("delivers, retries, honours Retry-After as a minimum capped at 1 h, and gives up", () => {
    expect(judge(policy, { ok: true, detail: "HTTP 200" }, 1, half)).toEqual({ action: "delivered" });
    expect(judge(policy, fail(), 1, half)).toEqual({ action: "retry", delayMs: 500, why: "backoff after attempt 1" });
    expect(judge(policy, fail({ retryAfterMs: 2_000 }), 1, half)).toMatchObject({ action: "retry", delayMs: 2_000 });
    // Backoff longer than Retry-After wins.
    expect(judge(policy, fail({ retryAfterMs: 100 }), 5, max)).toMatchObject({ delayMs: 15_999 });
    expect(judge(policy, fail({ retryAfterMs: 86_400_000 }), 1, half)).toMatchObject({ delayMs: 3_600_000 });
    expect(judge(policy, fail(), 8, half)).toEqual({ action: "dead", why: "gave up after 8 attempts: HTTP 503" });
    expect(judge(policy, fail({ retryable: false, error: "HTTP 400" }), 1, half)).toEqual({
      action: "dead",
      why: "permanent failure: HTTP 400",
    });
  });

  it("opens a destination's circuit after 5 straight failures, probes once after 30 s", () => {
    const b = new CircuitBreaker(policy);
    let now = 0;
    for (let i = 0; i < 4; i++) {
      expect(b.admit("h:443", now)).toBe(0);
      b.record("h:443", false, now);
    }
    expect(b.stateOf("h:443")).toBe("closed");
    b.record("h:443", false, now);
    expect(b.stateOf("h:443")).toBe("open");
    expect(b.admit("h:443", now)).toBe(30_000);
    expect(b.admit("other:443", now)).toBe(0);
    now += 29_999;
    expect(b.admit("h:443", now)).toBe(1);
    now += 1;
    expect(b.admit("h:443", now)).toBe(0); // the probe
    expect(b.stateOf("h:443")).toBe("half_open");
    expect(b.admit("h:443", now)).toBeGreaterThan(0); // only one
    b.record("h:443", false, now);
    expect(b.stateOf("h:443")).toBe("open");
    now += 30_000;
    expect(b.admit("h:443", now)).toBe(0);
    b.record("h:443", true, now);
    expect(b.stateOf("h:443")).toBe("closed");
    expect(b.admit("h:443", now)).toBe(0);
  });

  it("a success resets the count of consecutive failures", () => {
    const b = new CircuitBreaker(policy);
    for (let i = 0; i < 4; i++) b.record("d", false, 0);
    b.record("d", true, 0);
    for (let i = 0; i < 4; i++) b.record("d", false, 0);
    expect(b.stateOf("d")).toBe("closed");
  });

  it("caps the rate per key with a token bucket", () => {
    const r = new RateLimiter();
    let granted = 0;
    for (let i = 0; i < 25; i++) if (r.take("c", 20, 0) === 0) granted++;
    expect(granted).toBe(20);
    expect(r.take("c", 20, 0)).toBe(50);
    expect(r.take("c", 20, 50)).toBe(0);
    expect(r.take("other", 20, 0)).toBe(0);
    // Over ten simulated seconds: 20 a second plus the first second's burst.
    let total = 0;
    for (let t = 1_000; t <= 11_000; t += 5) if (r.take("d", 20, t) === 0) total++;
    expect(total).toBe(20 + 200);
  });

  it("caps deliveries in flight per key", () => {
    const c = new ConcurrencyLimiter();
    expect([1, 2, 3].map(() => c.tryAcquire("k", 2))).toEqual([true, true, false]);
    c.release("k");
    expect(c.tryAcquire("k", 2)).toBe(true);
    expect(c.tryAcquire("j", 2)).toBe(true);
  });
});
