/**
 * Storage port of runs and their steps.
 *
 * Glossary
 * - Run: one record going through one version; its RunState is the engine's state machine.
 * - Run step: one decide() call's log, unique per (run, seq): the exactly-once guard.
 * - New run: a run this transaction has just created and takes steps of at once; it is kept in
 *   memory and written in its latest state before anything reads the runs table, or at the commit.
 */
import type { RunCounts, RunQuery, RunRow, RunStepRow, StepCount } from "./workflow-ports.js";

export interface RunReads {
  getRun(workspaceId: string, id: string): Promise<RunRow | undefined>;
  /** The runs with these ids (those that exist, in no particular order): one read for a group of steps. */
  getRuns(workspaceId: string, ids: readonly string[]): Promise<RunRow[]>;
  queryRuns(q: RunQuery): Promise<RunRow[]>;
  /**
   * For each of the workflows, its runs created at or after `since` and how many of those failed:
   * one grouped statement over the runs_workflow index (a range per workflow), never a scan of
   * the workspace's runs nor a query per workflow. Workflows without such runs are left out.
   */
  runCountsSince(workspaceId: string, workflowIds: readonly string[], since: string): Promise<RunCounts[]>;
  /**
   * For one version of a workflow, its runs created at or after `since`, per step: how many
   * passed it, wait there now and failed there (StepState). Two grouped statements over the
   * runs_workflow index (the version's runs in the window, joined to their logs by key), never
   * the runs loaded one by one. Steps no run reached are left out.
   */
  stepCountsSince(workspaceId: string, workflowId: string, version: number, since: string): Promise<StepCount[]>;
  /** The (workflow, version) pairs that have runs not yet ended, in the workspace. */
  versionsUnderWay(workspaceId: string): Promise<Array<{ workflowId: string; version: number }>>;
  /** Runs of the given records that have not ended. */
  activeRunsOf(workspaceId: string, recordIds: readonly string[]): Promise<RunRow[]>;
  latestRunOf(workspaceId: string, workflowId: string, recordId: string): Promise<RunRow | undefined>;
  /** Every run of the given records, ended or not (a record has few): one read for a matcher pass. */
  runsOfRecords(workspaceId: string, recordIds: readonly string[]): Promise<RunRow[]>;
  listRunSteps(workspaceId: string, runId: string): Promise<RunStepRow[]>;
  stepsOfRecord(workspaceId: string, recordId: string, limit: number): Promise<Array<RunStepRow & { workflowId: string }>>;
}

export interface RunPort extends RunReads {
  /** False when a run for (workflow, trigger key) exists already. */
  insertRun(run: RunRow): Promise<boolean>;
  /** insertRun for several runs in one statement; returns the ids of those written. */
  insertRuns(runs: readonly RunRow[]): Promise<Set<string>>;
  /**
   * Runs this transaction has just created and takes steps of at once: in a transaction they are
   * kept, updated in place by updateRun(s), and written in their latest state before anything
   * reads the runs table, or at the commit (one insert instead of an insert and an update per
   * run). A run whose (workflow, trigger key) exists by then fails the transaction.
   */
  insertNewRuns(runs: readonly RunRow[]): Promise<void>;
  /** Writes the run if its seq is still `expectedSeq`; false when another worker moved it. */
  updateRun(run: RunRow, expectedSeq: number): Promise<boolean>;
  /** updateRun for several runs (distinct ids) in one statement; returns how many were still at their expected seq and were written. */
  updateRuns(updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>): Promise<number>;
  insertRunStep(step: RunStepRow): Promise<void>;
  /** Several steps in one statement; fails as a whole when any (run, seq) exists. */
  insertRunSteps(steps: readonly RunStepRow[]): Promise<void>;
}
