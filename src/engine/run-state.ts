/**
 * One run's state: an explicit state machine, not a bag of flags.
 *
 *   running ──step──▶ running | waiting | completed | exited | failed
 *   waiting ──timer fired / event / action result──▶ running
 *   any non-terminal ──cancel──▶ cancelled;  failed ──retry──▶ running (at the failed step)
 *   running | waiting ──goal met / unenrolled──▶ exited
 */
export type RunStatus = "running" | "waiting" | "completed" | "exited" | "failed" | "cancelled";
export const TERMINAL: ReadonlySet<RunStatus> = new Set(["completed", "exited", "failed", "cancelled"]);

export type Wait =
  | { kind: "timer"; timerId: string; dueAt: string; next: string | null }
  | { kind: "wait_for"; timerId: string; dueAt: string }
  | { kind: "action"; key: string };

export interface RunState {
  status: RunStatus;
  /** The step to execute (running), being waited in (waiting), or that failed (failed). */
  step: string | null;
  wait: Wait | null;
  /** Steps executed so far; capped by MAX_STEPS_PER_RUN. */
  stepsTaken: number;
  /** Why the run ended, for terminal states. */
  reason: string | null;
}

export const MAX_STEPS_PER_RUN = 500;

export function initialState(start: string): RunState {
  return { status: "running", step: start, wait: null, stepsTaken: 0, reason: null };
}
