/**
 * One run's state: an explicit state machine, not a bag of flags.
 *
 *   running ──step──▶ running | waiting | completed | exited | failed
 *   waiting ──timer fired / event / action result──▶ running
 *   any non-terminal ──cancel──▶ cancelled;  failed ──retry──▶ running (at the failed step)
 *   running | waiting ──goal met / unenrolled──▶ exited
 *
 * A union by status, so that the states that cannot happen cannot be written: a running run has
 * a step and no wait, a waiting run a step and a wait, an ended run a reason. Every member keeps
 * every field (null where it does not apply): the stored JSON and the API's run view stay one
 * shape for every status.
 */
export type RunStatus = RunState["status"];

export type Wait =
  | { kind: "timer"; timerId: string; dueAt: string; next: string | null }
  | { kind: "wait_for"; timerId: string; dueAt: string }
  | { kind: "action"; key: string }
  /** An approval request is pending; its timeout's timer when the step has one (docs/approvals.md). */
  | { kind: "approval"; requestId: string; round: number; timerId: string | null; dueAt: string | null; escalations: number }
  /**
   * The request was sent back: waiting for the submitter to resubmit, until the step's timeout
   * (counted again from the send-back) when it has one. The timer is absent from states stored
   * before the revision wait had one: those wait without it.
   */
  | { kind: "revision"; requestId: string; round: number; timerId?: string | null; dueAt?: string | null };

interface Counted {
  /** Steps executed so far; capped by MAX_STEPS_PER_RUN. */
  stepsTaken: number;
}

/** About to execute `step`. */
export interface Running extends Counted {
  status: "running";
  step: string;
  wait: null;
  reason: null;
}

/** In `step`, waiting for a timer, an event or an external action's result. */
export interface Waiting extends Counted {
  status: "waiting";
  step: string;
  wait: Wait;
  reason: null;
}

/** Reached the end: no step is left. */
export interface Completed extends Counted {
  status: "completed";
  step: null;
  wait: null;
  reason: string;
}

/**
 * Ended otherwise: `step` is where it was (null only for a run that was already past its last
 * step). A failed run resumes at its `step` on retry.
 */
export interface Ended extends Counted {
  status: "exited" | "failed" | "cancelled";
  step: string | null;
  wait: null;
  reason: string;
}

export type RunState = Running | Waiting | Completed | Ended;

export const TERMINAL: ReadonlySet<RunStatus> = new Set(["completed", "exited", "failed", "cancelled"]);

export function isTerminal(state: RunState): state is Completed | Ended {
  return TERMINAL.has(state.status);
}

export const MAX_STEPS_PER_RUN = 500;

export function initialState(start: string): RunState {
  return running(start, 0);
}

export function running(step: string, stepsTaken: number): Running {
  return { status: "running", step, wait: null, stepsTaken, reason: null };
}

export function waiting(step: string, wait: Wait, stepsTaken: number): Waiting {
  return { status: "waiting", step, wait, stepsTaken, reason: null };
}

export function completed(reason: string, stepsTaken: number): Completed {
  return { status: "completed", step: null, wait: null, stepsTaken, reason };
}

/** Ends the run where it is: exited (goal met), failed (at its step) or cancelled. */
export function ended(state: RunState, status: Ended["status"], reason: string, stepsTaken = state.stepsTaken): Ended {
  return { status, step: state.step, wait: null, stepsTaken, reason };
}
