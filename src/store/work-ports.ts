/**
 * Storage port of work items: the runs' inputs due at an instant.
 *
 * Glossary
 * - Work item: an input due for a run at an instant (continue now, a timer later, an event for a
 *   waiting run). Claimed with a lease judged by the database clock; completing it is fenced by
 *   (lease owner, attempt).
 * - Claim: the store (outside any transaction) leases due items to a worker; see WorkClaims.
 */
import type { NewWorkItem, WorkItem } from "./workflow-ports.js";

export interface WorkReads {
  pendingWorkCount(): Promise<number>;
}

export interface WorkPort extends WorkReads {
  insertWorkItems(items: readonly NewWorkItem[]): Promise<void>;
  cancelTimer(workspaceId: string, timerId: string): Promise<void>;
  /** Makes a run's pending timers due now ("skip the wait"); returns how many. */
  dueNow(workspaceId: string, runId: string, now: string): Promise<number>;
  /** Fenced completion: only the holder of the lease at this attempt may complete it. */
  completeWorkItem(id: number, owner: string, attempt: number): Promise<boolean>;
  /** Fenced completion of several items in one statement; returns how many completed (the rest were taken over). */
  completeWorkItems(owner: string, items: ReadonlyArray<{ id: number; attempt: number }>): Promise<number>;
}

/** The store's, not a transaction's: each claim is its own statement on the pool. */
export interface WorkClaims {
  /** Claims up to `limit` due, unleased work items for `leaseMs`, judged by the database clock. */
  claimWork(owner: string, limit: number, leaseMs: number): Promise<WorkItem[]>;
  /** Extends the lease of items this owner still holds (the heartbeat). */
  extendLeases(owner: string, ids: readonly number[], leaseMs: number): Promise<void>;
  /**
   * Milliseconds until the earliest unleased pending work item or time trigger is due, by the
   * database clock (0 or less: due already); undefined when there is none. Lets an idle worker
   * sleep until then instead of a fixed poll interval.
   */
  nextDueInMs(): Promise<number | undefined>;
  /** Puts an item back after a failure, due again after `delayMs`, with the error. */
  releaseWork(id: number, owner: string, delayMs: number, error: string): Promise<void>;
}
