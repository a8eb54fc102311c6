/**
 * Escalation completion (docs/kpis.md): whether an SLA escalation — a clock's breach (level 1) or
 * an escalation level (2, 3, …) that fired — was resolved within its next target. Pure, over the
 * clock's plan and history (crm/sla/clock.ts: every milestone is a point on the clock's consumed
 * business-time axis).
 *
 * - Not the last level: the next target is the next level's milestone. **Resolved** when the clock
 *   stopped (met or missed, not cancelled) with less business time consumed than that milestone
 *   lies at; **not resolved** once the next level fired, or the clock stopped at or past it;
 *   **pending** while the clock is open and the next level has not fired.
 * - The last level (a breach with no escalation levels, or the highest level): the policy names no
 *   next target, so the window is stated: LAST_LEVEL_WINDOW_MS of wall-clock time after it fired.
 *   Resolved when the clock stopped within it; not resolved once it passed without a stop.
 * - A clock **cancelled** (its record deleted or merged, or no longer measured) before the
 *   escalation was decided counts as neither, as in SLA attainment.
 */

export const LAST_LEVEL_WINDOW_MS = 24 * 3_600_000;

export interface EscalationClock {
  plan: { targetMs: number; escalationsAfterMs: readonly number[] };
  /** The levels that fired on the clock (1 the breach, 2.. the escalations). */
  firedLevels: readonly number[];
  /** The clock's stop, when it stopped. */
  stop: { at: string; outcome: string; consumedMs: number | null } | null;
}

export type EscalationOutcome = "resolved" | "unresolved" | "pending" | "cancelled";

export function escalationOutcome(level: number, firedAt: string, clock: EscalationClock, now: Date): EscalationOutcome {
  const stop = clock.stop;
  const after = clock.plan.escalationsAfterMs[level - 1];
  if (after !== undefined) {
    if (clock.firedLevels.some((l) => l > level)) return "unresolved";
    if (!stop) return "pending";
    if (stop.outcome === "cancelled") return "cancelled";
    const nextAt = clock.plan.targetMs + after;
    // A stop row without its consumed time (never written by the runtime) is judged by the next level not firing.
    return stop.consumedMs === null || stop.consumedMs < nextAt ? "resolved" : "unresolved";
  }
  const deadline = Date.parse(firedAt) + LAST_LEVEL_WINDOW_MS;
  if (stop && Date.parse(stop.at) <= deadline) return stop.outcome === "cancelled" ? "cancelled" : "resolved";
  return now.getTime() > deadline ? "unresolved" : "pending";
}
