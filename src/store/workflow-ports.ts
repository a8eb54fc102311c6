/**
 * Storage ports of the workflow runtime.
 *
 * Glossary
 * - Workflow: a key, a name and versions; `liveVersion` is the published one that enrolls.
 * - Version: draft → published (immutable) → archived. Runs stay on the version they started on.
 * - Trigger index: (workspace, object, kind) → workflow and version; what event matching reads.
 * - Run: one record going through one version; its RunState is the engine's state machine.
 * - Run step: one decide() call's log, unique per (run, seq): the exactly-once guard.
 * - Work item: an input due for a run at an instant (continue now, a timer later, an event for a
 *   waiting run). Claimed with a lease judged by the database clock; completing it is fenced by
 *   (lease owner, attempt).
 * - Event cursor: how far a consumer (the trigger matcher) has read the domain event log.
 */
import type { ObjectName } from "../crm/fields.js";
import type { RunInput } from "../engine/run-input.js";
import type { RunState } from "../engine/run-state.js";

/** How a stored work item's or step's input is read back: the engine's one checker of the union (every shape ever written). */
export { readRunInput } from "../engine/run-input.js";

export type VersionState = "draft" | "published" | "archived";

export interface WorkflowRow {
  workspaceId: string;
  id: string;
  key: string;
  name: string;
  object: ObjectName;
  liveVersion: number | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersionRow {
  workspaceId: string;
  workflowId: string;
  version: number;
  state: VersionState;
  definition: unknown;
  createdAt: string;
  publishedAt: string | null;
  /** Events at or before this position were committed before publishing and never enroll. */
  sincePosition: number | null;
}

export interface TriggerRow {
  workspaceId: string;
  workflowId: string;
  object: ObjectName;
  kind: string;
  version: number;
  sincePosition: number;
}

export interface RunRow {
  workspaceId: string;
  id: string;
  workflowId: string;
  version: number;
  recordId: string;
  /** The triggering event's id, or a manual enrollment's key. Unique per workflow. */
  triggerKey: string;
  state: RunState;
  /** Number of decisions recorded (run_steps rows). */
  seq: number;
  /** Causal depth: 1 + the depth of the event that started it. */
  depth: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/**
 * What a step's facts held beyond its record, which the audit trail cannot rebuild: related
 * counts, and the referenced records by the version read (null: unset or gone).
 */
export interface FactsSeen {
  counts: Readonly<Record<string, number>>;
  refs: Readonly<Record<string, { id: string; version: number } | null>>;
}

export interface RunStepRow {
  workspaceId: string;
  runId: string;
  seq: number;
  step: string | null;
  type: string;
  /** The input as a sentence, for the run log and the timeline. */
  input: string;
  outcome: string;
  why: string;
  /** What the step did: records created / updated, owner chosen and why, timers. */
  effects: unknown;
  at: string;
  durationMs: number;
  /**
   * The input decide() was given, the version of the run's record it saw (null: no record), a
   * digest of the facts it read (see runtime/facts-digest.ts) and the facts beyond the record.
   * With the run's state before the step, enough to decide it again. Null on steps logged
   * before these were kept (migration 017).
   */
  runInput: RunInput | null;
  recordVersion: number | null;
  factsDigest: string | null;
  factsSeen: FactsSeen | null;
}

export interface NewWorkItem {
  workspaceId: string;
  runId: string;
  input: RunInput;
  timerId: string | null;
  dueAt: string;
}

export interface WorkItem extends NewWorkItem {
  id: number;
  attempts: number;
  leaseOwner: string | null;
}

/** A time-based trigger due for a workflow (and a record, except for schedules). */
export interface ScheduledTrigger {
  id: number;
  workspaceId: string;
  workflowId: string;
  version: number;
  /** Null for schedule triggers: they enroll every record that matches. */
  recordId: string | null;
  dueAt: string;
  attempts: number;
}

export interface WorkflowLogRow {
  workspaceId: string;
  workflowId: string;
  recordId: string | null;
  eventId: string | null;
  /**
   * `deferred`: enrolments over the workflow's rate, started later in order (none is dropped).
   * `forced`: a person enrolled a record past `reenrollment: false` (the message names who).
   */
  kind: "suppressed" | "skipped" | "enrolled" | "deferred" | "forced";
  message: string;
  at: string;
  /**
   * A loop stop: the ids of the workflows whose runs made the chain, in its order (each once),
   * the stopped one included. Written to every one of their logs; the record's timeline shows it.
   */
  chain?: readonly string[] | null;
}

export interface NotificationRow {
  workspaceId: string;
  id: string;
  userId: string;
  message: string;
  recordId: string | null;
  runId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface RunQuery {
  workspaceId: string;
  workflowId?: string;
  recordId?: string;
  status?: string;
  limit: number;
  /** Runs created before this id (newest first). */
  beforeId?: string;
}

export interface WorkflowReads {
  getWorkflow(workspaceId: string, id: string): Promise<WorkflowRow | undefined>;
  getWorkflowByKey(workspaceId: string, key: string): Promise<WorkflowRow | undefined>;
  listWorkflows(workspaceId: string): Promise<WorkflowRow[]>;
  getVersion(workspaceId: string, workflowId: string, version: number): Promise<WorkflowVersionRow | undefined>;
  listVersions(workspaceId: string, workflowId: string): Promise<WorkflowVersionRow[]>;
  findTriggers(workspaceId: string, object: ObjectName, kinds: readonly string[]): Promise<TriggerRow[]>;
  getRun(workspaceId: string, id: string): Promise<RunRow | undefined>;
  /** The runs with these ids (those that exist, in no particular order): one read for a group of steps. */
  getRuns(workspaceId: string, ids: readonly string[]): Promise<RunRow[]>;
  queryRuns(q: RunQuery): Promise<RunRow[]>;
  /** The (workflow, version) pairs that have runs not yet ended, in the workspace. */
  versionsUnderWay(workspaceId: string): Promise<Array<{ workflowId: string; version: number }>>;
  /** Runs of the given records that have not ended. */
  activeRunsOf(workspaceId: string, recordIds: readonly string[]): Promise<RunRow[]>;
  latestRunOf(workspaceId: string, workflowId: string, recordId: string): Promise<RunRow | undefined>;
  /** Every run of the given records, ended or not (a record has few): one read for a matcher pass. */
  runsOfRecords(workspaceId: string, recordIds: readonly string[]): Promise<RunRow[]>;
  listRunSteps(workspaceId: string, runId: string): Promise<RunStepRow[]>;
  stepsOfRecord(workspaceId: string, recordId: string, limit: number): Promise<Array<RunStepRow & { workflowId: string }>>;
  readWorkflowLog(workspaceId: string, workflowId: string, limit: number): Promise<WorkflowLogRow[]>;
  /** The loop stops (log rows with a chain) concerning a record, newest first, one per stopped event. */
  loopStopsOfRecord(workspaceId: string, recordId: string, limit: number): Promise<WorkflowLogRow[]>;
  listNotifications(workspaceId: string, userId: string | null, limit: number): Promise<NotificationRow[]>;
  pendingWorkCount(): Promise<number>;
  /** The highest event position committed so far (0 when none). */
  lastEventPosition(): Promise<number>;
}

export interface WorkflowWrites {
  insertWorkflow(w: WorkflowRow): Promise<void>;
  updateWorkflow(w: WorkflowRow): Promise<void>;
  upsertVersion(v: WorkflowVersionRow): Promise<void>;
  replaceTriggers(workspaceId: string, workflowId: string, rows: readonly TriggerRow[]): Promise<void>;
  /** False when a run for (workflow, trigger key) exists already. */
  insertRun(run: RunRow): Promise<boolean>;
  /**
   * Counts one use of a workflow's quota in the window starting at `windowStart`, unless `limit`
   * uses are counted there already; returns whether it was counted and the uses so far. Older
   * windows of the workflow's quota are dropped when a new one starts.
   */
  takeQuota(
    workspaceId: string,
    workflowId: string,
    quota: string,
    windowStart: string,
    limit: number,
  ): Promise<{ taken: boolean; used: number }>;
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
  insertWorkItems(items: readonly NewWorkItem[]): Promise<void>;
  cancelTimer(workspaceId: string, timerId: string): Promise<void>;
  /** Makes a run's pending timers due now ("skip the wait"); returns how many. */
  dueNow(workspaceId: string, runId: string, now: string): Promise<number>;
  /** Fenced completion: only the holder of the lease at this attempt may complete it. */
  completeWorkItem(id: number, owner: string, attempt: number): Promise<boolean>;
  /** Fenced completion of several items in one statement; returns how many completed (the rest were taken over). */
  completeWorkItems(owner: string, items: ReadonlyArray<{ id: number; attempt: number }>): Promise<number>;
  appendWorkflowLog(rows: readonly WorkflowLogRow[]): Promise<void>;
  getRotation(workspaceId: string, key: string): Promise<string | undefined>;
  setRotation(workspaceId: string, key: string, lastUserId: string): Promise<void>;
  insertNotification(n: NotificationRow): Promise<void>;
  /** Replaces the pending time trigger of (workflow, record) — or of the workflow, for schedules — with one due at `dueAt`. */
  scheduleTrigger(t: Omit<ScheduledTrigger, "id" | "attempts">): Promise<void>;
  /** Drops the pending time trigger of (workflow, record), e.g. when the date was cleared. */
  unscheduleTrigger(workspaceId: string, workflowId: string, recordId: string | null): Promise<void>;
  /** Drops every pending time trigger of a workflow (archived or republished). */
  cancelScheduledTriggers(workspaceId: string, workflowId: string): Promise<void>;
  completeScheduledTrigger(id: number, owner: string, attempt: number): Promise<boolean>;
  /** Locks and reads a consumer's cursor (PostgreSQL: FOR UPDATE; one matcher at a time). */
  lockCursor(consumer: string): Promise<number>;
  setCursor(consumer: string, position: number): Promise<void>;
}

export interface WorkClaims {
  /** Claims up to `limit` due, unleased work items for `leaseMs`, judged by the database clock. */
  claimWork(owner: string, limit: number, leaseMs: number): Promise<WorkItem[]>;
  /** Extends the lease of items this owner still holds (the heartbeat). */
  extendLeases(owner: string, ids: readonly number[], leaseMs: number): Promise<void>;
  /** Claims due time triggers like work items. */
  claimScheduledTriggers(owner: string, limit: number, leaseMs: number): Promise<ScheduledTrigger[]>;
  /**
   * Milliseconds until the earliest unleased pending work item or time trigger is due, by the
   * database clock (0 or less: due already); undefined when there is none. Lets an idle worker
   * sleep until then instead of a fixed poll interval.
   */
  nextDueInMs(): Promise<number | undefined>;
  /** Puts an item back after a failure, due again after `delayMs`, with the error. */
  releaseWork(id: number, owner: string, delayMs: number, error: string): Promise<void>;
}
