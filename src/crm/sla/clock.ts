/**
 * An SLA clock (docs/sla.md): a counter of the business time a record has been waiting, with the
 * points at which something must happen. Pure — instants come in, nothing reads a clock.
 *
 * Glossary
 * - Consumed: business time counted so far. It grows only while the clock runs (not paused) and
 *   only during the calendar's openings.
 * - Milestone: a point on the consumed axis — the warning, the breach (the target), and each
 *   escalation level after it ("level 2 one business hour after the breach"). Because every
 *   milestone is a point on the same axis, a pause holds them all, a resume moves them all, and a
 *   new target or calendar is a recomputation, not a special case.
 * - Fired: the milestones already acted on, by key; a milestone fires once, even when the target
 *   changes afterwards.
 *
 * States: running → paused → running … → stopped (met when the target was not reached, missed
 * when it was). A clock that breached keeps running until it stops: the escalation levels are
 * still ahead of it.
 */
import { addBusinessTime, businessTimeBetween, type CompiledCalendar } from "../calendar/business-time.js";

export type MilestoneKind = "warning" | "breach" | "escalation";

export interface Milestone {
  /** "warning", "breach", "level:2" — stable, kept in `fired`. */
  key: string;
  kind: MilestoneKind;
  /** 1 for the breach, 2.. for the escalation levels; 0 for the warning. */
  level: number;
  /** Where on the consumed axis it lies, in ms of business time. */
  atConsumedMs: number;
}

/** What a policy says about one clock's milestones, resolved for the record (its target). */
export interface ClockPlan {
  targetMs: number;
  /** The warning: a fraction of the target (0.75) or a business time before it; none when unset. */
  warning?: { fraction: number } | { beforeMs: number } | undefined;
  /** Escalation levels after the breach: business time after the breach, in order (level 2, 3, …). */
  escalationsAfterMs: readonly number[];
}

export type ClockPhase = "running" | "paused" | "stopped";

export interface ClockState {
  phase: ClockPhase;
  targetMs: number;
  /** Business time consumed up to `since` (running) or up to the pause / stop. */
  consumedMs: number;
  /** When running: the instant the current run of the clock began (start or last resume). */
  since: number;
  startedAt: number;
  stoppedAt: number | null;
  fired: readonly string[];
}

export function milestonesOf(plan: ClockPlan): Milestone[] {
  const out: Milestone[] = [];
  if (plan.warning) {
    const at = "fraction" in plan.warning ? Math.round(plan.targetMs * plan.warning.fraction) : plan.targetMs - plan.warning.beforeMs;
    if (at >= 0 && at < plan.targetMs) out.push({ key: "warning", kind: "warning", level: 0, atConsumedMs: at });
  }
  out.push({ key: "breach", kind: "breach", level: 1, atConsumedMs: plan.targetMs });
  plan.escalationsAfterMs.forEach((after, i) => {
    out.push({ key: `level:${i + 2}`, kind: "escalation", level: i + 2, atConsumedMs: plan.targetMs + after });
  });
  return out;
}

export function startClock(plan: ClockPlan, at: number): ClockState {
  return { phase: "running", targetMs: plan.targetMs, consumedMs: 0, since: at, startedAt: at, stoppedAt: null, fired: [] };
}

/** Business time consumed by `at`. */
export function consumedAt(state: ClockState, cal: CompiledCalendar, at: number): number {
  if (state.phase !== "running") return state.consumedMs;
  return state.consumedMs + Math.max(0, businessTimeBetween(cal, state.since, Math.max(at, state.since)));
}

export function pauseClock(state: ClockState, cal: CompiledCalendar, at: number): ClockState {
  if (state.phase !== "running") return state;
  return { ...state, phase: "paused", consumedMs: consumedAt(state, cal, at), since: at };
}

export function resumeClock(state: ClockState, at: number): ClockState {
  if (state.phase !== "paused") return state;
  return { ...state, phase: "running", since: at };
}

export function stopClock(state: ClockState, cal: CompiledCalendar, at: number): ClockState {
  if (state.phase === "stopped") return state;
  return { ...state, phase: "stopped", consumedMs: consumedAt(state, cal, at), since: at, stoppedAt: at };
}

/**
 * A new calendar or target for a running clock: what was consumed so far is kept (measured on the
 * calendar it was consumed on), and the future is measured on the new one from `at`.
 */
export function rebase(state: ClockState, oldCal: CompiledCalendar, at: number, targetMs: number = state.targetMs): ClockState {
  if (state.phase !== "running") return { ...state, targetMs };
  return { ...state, consumedMs: consumedAt(state, oldCal, at), since: at, targetMs };
}

/** The next milestone not fired yet and the instant it falls due; null when stopped, paused or all fired. */
export function nextDue(state: ClockState, plan: ClockPlan, cal: CompiledCalendar): { milestone: Milestone; at: number } | null {
  if (state.phase !== "running") return null;
  const next = milestonesOf(plan).find((m) => !state.fired.includes(m.key));
  if (!next) return null;
  const left = next.atConsumedMs - state.consumedMs;
  const at = left <= 0 ? state.since : addBusinessTime(cal, state.since, left);
  // A calendar that never opens again: nothing falls due.
  return at === undefined ? null : { milestone: next, at };
}

/** Marks a milestone fired. Firing one marks every earlier milestone too (a clock that jumped past them). */
export function fire(state: ClockState, plan: ClockPlan, key: string): ClockState {
  const ms = milestonesOf(plan);
  const upto = ms.findIndex((m) => m.key === key);
  if (upto < 0) return state;
  const fired = new Set(state.fired);
  for (const m of ms.slice(0, upto + 1)) fired.add(m.key);
  return { ...state, fired: [...fired] };
}

export type ClockStatus = "running" | "paused" | "warning" | "breached" | "met" | "missed";

/** How a clock reads at an instant, for a person. */
export interface ClockReading {
  status: ClockStatus;
  consumedMs: number;
  /** Business time left to the target (negative once breached). */
  leftMs: number;
  /** When the target is (or was) due while running; null when paused or stopped. */
  dueAt: number | null;
}

export function readClock(state: ClockState, plan: ClockPlan, cal: CompiledCalendar, at: number): ClockReading {
  const consumed = consumedAt(state, cal, at);
  const left = state.targetMs - consumed;
  const breached = state.fired.includes("breach") || left < 0;
  let status: ClockStatus;
  if (state.phase === "stopped") status = breached ? "missed" : "met";
  else if (breached) status = "breached";
  else if (state.phase === "paused") status = "paused";
  else {
    const warning = milestonesOf(plan).find((m) => m.kind === "warning");
    status = state.fired.includes("warning") || (warning !== undefined && consumed >= warning.atConsumedMs) ? "warning" : "running";
  }
  const dueAt =
    state.phase === "running" && left > 0 ? (addBusinessTime(cal, state.since, state.targetMs - state.consumedMs) ?? null) : null;
  return { status, consumedMs: consumed, leftMs: left, dueAt };
}
