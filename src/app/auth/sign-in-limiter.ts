/**
 * Sign-in rate limit: failed attempts counted per client address and per email over a sliding
 * window; once either is at its limit, further attempts are refused (429) until the oldest
 * failure of the window ages out. Only failures count, so a person's own correct sign-in is not
 * blocked by failures on other emails (unless their address is at its own, larger, limit).
 * In memory, per process: several API processes each keep their own counts (docs/security.md).
 */
import { FailureWindow } from "./failure-window.js";

export interface SignInLimits {
  /** Failures per email per window. Default 10. */
  perEmail: number;
  /** Failures per client address per window. Default 100 (offices share an address). */
  perIp: number;
  /** The window, in ms. Default 15 minutes. */
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perEmail: 10, perIp: 100, windowMs: 15 * 60_000 };

export class SignInLimiter {
  private readonly failures: FailureWindow;

  constructor(
    private readonly limits: SignInLimits,
    now: () => number,
  ) {
    this.failures = new FailureWindow(limits.windowMs, now);
  }

  /** Seconds until an attempt for (ip, email) is allowed again; 0 when it is allowed now. */
  retryAfter(ip: string, email: string): number {
    return Math.max(
      this.failures.wait(`ip:${ip}`, this.limits.perIp),
      this.failures.wait(`email:${email.toLowerCase()}`, this.limits.perEmail),
    );
  }

  fail(ip: string, email: string): void {
    this.failures.fail(`ip:${ip}`);
    this.failures.fail(`email:${email.toLowerCase()}`);
  }

  /** A successful sign-in forgets the email's failures (not the address's). */
  succeed(email: string): void {
    this.failures.forget(`email:${email.toLowerCase()}`);
  }
}
