/**
 * Storage port of the workflow rate cap.
 *
 * Glossary
 * - Rate window: a clock window (60 s by default) in which a workflow starts at most its cap of
 *   runs (HANDOFF_WORKFLOW_RATE_CAP).
 * - Slot: a start a workflow has been given in a window. Enrolments over the rate take slots of
 *   later windows, in order: their runs exist at once and start when their slot is due.
 * - Workflow rate: one row per workflow — the window of the latest slot given out and how many of
 *   its slots are taken (an O(1) counter; runs are never counted), and when the admins were last
 *   told that the workflow's backlog keeps growing.
 * - Deferred run: a run whose start waits for its slot (a `continue` work item due later, the
 *   run still at its first step, nothing done yet).
 */

export interface WorkflowRate {
  workspaceId: string;
  workflowId: string;
  /** Start of the window of the latest slot given out (ISO-8601). */
  windowStart: string;
  /** Slots of that window taken. */
  used: number;
  /** When the admins were last told of this workflow's backlog. */
  alertedAt: string | null;
}

/** The runs a workflow's rate cap has deferred and that have not started yet. */
export interface DeferredRuns {
  count: number;
  /** When the next of them starts (or was due to: not claimed yet). */
  nextAt: string | null;
  /** When the last of them starts: the end of the backlog. */
  lastAt: string | null;
}

export interface RateReads {
  deferredRuns(workspaceId: string, workflowId: string): Promise<DeferredRuns>;
}

export interface RatePort extends RateReads {
  /**
   * The rate rows of these workflows, locked until the transaction ends (PostgreSQL: FOR UPDATE,
   * so that the matcher and time triggers firing elsewhere give out slots one after another).
   * A workflow without a row has none in the result.
   */
  lockWorkflowRates(workspaceId: string, workflowIds: readonly string[]): Promise<WorkflowRate[]>;
  /** Writes the rows (inserted or replaced) in one statement. */
  saveWorkflowRates(rows: readonly WorkflowRate[]): Promise<void>;
}
