/** What decide() returns, and what it is told besides the input and the facts. */
import type { Command } from "./commands.js";
import type { RunState } from "./run-state.js";

export interface DecideContext {
  runId: string;
  /** Sequence number of this decision within the run: makes timer and outbox keys stable. */
  seq: number;
  nowMs: number;
  /** Zone for calendar waits without their own. */
  timeZone: string;
}

export interface StepLog {
  step: string | null;
  type: string;
  outcome: string;
  /** Why: the comparison that decided a branch, the instant a delay waits for, … */
  why: string;
}

export interface Decision {
  state: RunState;
  commands: Command[];
  /** Null when the input did not concern the run (a stale timer, an event it does not wait for). */
  log: StepLog | null;
}
