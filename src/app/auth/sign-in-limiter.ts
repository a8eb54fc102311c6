/**
 * Sign-in rate limit: failed attempts counted per client address and per email over a sliding
 * window; once either is at its limit, further attempts are refused (429) until the oldest
 * failure of the window ages out. Only failures count, so a person's own correct sign-in is not
 * blocked by failures on other emails (unless their address is at its own, larger, limit).
 * In memory, per process: several API processes each keep their own counts (docs/security.md).
 */

export interface SignInLimits {
  /** Failures per email per window. Default 10. */
  perEmail: number;
  /** Failures per client address per window. Default 100 (offices share an address). */
  perIp: number;
  /** The window, in ms. Default 15 minutes. */
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perEmail: 10, perIp: 100, windowMs: 15 * 60_000 };

/** Most keys kept at once; the oldest are forgotten first (a flood of made-up emails cannot grow memory without bound). */
const MAX_KEYS = 100_000;

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: SignInLimits,
    private readonly now: () => number,
  ) {}

  /** Seconds until an attempt for (ip, email) is allowed again; 0 when it is allowed now. */
  retryAfter(ip: string, email: string): number {
    const t = this.now();
    const waits = [this.wait(`ip:${ip}`, this.limits.perIp, t), this.wait(`email:${email.toLowerCase()}`, this.limits.perEmail, t)];
    return Math.max(...waits);
  }

  fail(ip: string, email: string): void {
    const t = this.now();
    for (const key of [`ip:${ip}`, `email:${email.toLowerCase()}`]) {
      const list = this.live(key, t);
      list.push(t);
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful sign-in forgets the email's failures (not the address's). */
  succeed(email: string): void {
    this.failures.delete(`email:${email.toLowerCase()}`);
  }

  private live(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.limits.windowMs);
  }

  private wait(key: string, limit: number, t: number): number {
    const list = this.live(key, t);
    if (list.length < limit) return 0;
    const oldestCounted = list[list.length - limit] as number;
    return Math.max(1, Math.ceil((oldestCounted + this.limits.windowMs - t) / 1000));
  }
}
