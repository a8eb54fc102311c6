/**
 * Storage port of the operational figures: what an operator's monitoring reads (GET /metrics).
 * Read from the database each time they are asked for, never counted in a process's memory, so
 * that every process of an installation (several workers on one PostgreSQL) answers the same.
 *
 * Glossary
 * - Operational figure: a count or an age an operator watches (runs by state, the outbox's
 *   depth, how far the matcher and the workers are behind), as opposed to a KPI, which is about
 *   what happened to the records.
 * - Matcher lag: how far the trigger matcher's cursor (an event cursor) is behind the newest
 *   event of the log: in events, and as the age of the oldest event it has not read.
 * - Queue lag: of a leased queue (work items, scheduled time triggers), the rows a worker could
 *   claim now — pending, due by the database clock, not leased by a live worker — and how long
 *   the oldest of them has been due.
 */

/** Runs of one workflow in one state (a run's status: running, waiting, completed, …). */
export interface RunCount {
  /** The workspace's slug. */
  workspace: string;
  /** The workflow's key (its id when the workflow is gone). */
  workflow: string;
  status: string;
  count: number;
}

/** Outbox items of one workspace and kind in one state. */
export interface OutboxCount {
  /** The workspace's slug. */
  workspace: string;
  /** email, http, chat, webhook … (OutboxKind). */
  kind: string;
  count: number;
}

export interface MatcherLag {
  /** Events committed after the cursor's position. */
  events: number;
  /** Age of the oldest of them by the database clock, in seconds; 0 when none. */
  seconds: number;
}

export type LeasedQueue = "work_items" | "scheduled_triggers";

export interface QueueLag {
  queue: LeasedQueue;
  /** Rows a worker could claim now. */
  due: number;
  /** How long the oldest of them has been due, by the database clock, in seconds; 0 when none. */
  oldestDueSeconds: number;
}

export interface OperationalFigures {
  /** Every run, by workspace, workflow and status. */
  runs: RunCount[];
  /** Outbox items waiting for delivery (pending: due now or at their next retry), by workspace and kind. */
  outboxPending: OutboxCount[];
  /** Outbox items given up on (dead letters, until replayed), by workspace and kind. */
  outboxDead: OutboxCount[];
  /** How long the oldest pending outbox item due for an attempt has waited for it, in seconds; 0 when none. */
  outboxOldestDueSeconds: number;
  matcher: MatcherLag;
  queues: QueueLag[];
}

export interface OperationsReads {
  /**
   * One reading of every figure. `matcherCursor` names the matcher's event cursor (the runtime
   * owns that name; a cursor never set reads as position 0).
   */
  operationalFigures(matcherCursor: string): Promise<OperationalFigures>;
}
