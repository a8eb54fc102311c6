/**
 * Rows of the workflow runtime, and the storage port of workflows, their versions and their log.
 * The runtime's other ports, over these rows, live beside it: trigger-ports.ts, run-ports.ts,
 * work-ports.ts, schedule-ports.ts, quota-ports.ts, rotation-ports.ts, notification-ports.ts.
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

import type { ActorRef } from "../crm/actor.js";
import type { ObjectName } from "../crm/fields.js";
import type { PredictionFact } from "../engine/conditions.js";
import type { ConflictWarning } from "../engine/conflicts/find.js";
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
  /** Who made the latest change (saved a draft, published, archived); null when not known (before 019). Unset: unchanged. */
  updatedBy?: ActorRef | null;
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
  /** Who published it; null for drafts and versions published before 019. */
  publishedBy?: ActorRef | null;
  /** What changed and why, in the publisher's words (021); null when none was given. Unset: unchanged. */
  note?: string | null;
  /** The conflict warnings acknowledged to publish it (028); null when there were none. Unset: unchanged. */
  conflictsAcknowledged?: ConflictAcknowledgement | null;
}

/** Who acknowledged which conflict warnings (engine/conflicts) to publish a version, and when. */
export interface ConflictAcknowledgement {
  by: ActorRef;
  at: string;
  warnings: ConflictWarning[];
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
  /** A `classify` step's prediction as decided on (the model may change later): a replay reads it from here. */
  prediction?: PredictionFact;
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
  /** Runs created at or after this instant (ISO 8601). */
  since?: string;
  /** Runs created before this instant (ISO 8601). */
  until?: string;
  /** Runs of this version (with workflowId). */
  version?: number;
  /** Runs that reached this step; with `stepState`, only those that passed it, wait there now or failed there. */
  step?: string;
  stepState?: StepState;
}

/**
 * Where runs stand at one step: `passed` — the step is in its log and the run has moved on from
 * it; `waiting` — waiting there now; `failed` — failed there. A run counts once per step.
 */
export type StepState = "passed" | "waiting" | "failed";

/** One step's runs by where they stand (StepState). */
export interface StepCount {
  step: string;
  passed: number;
  waiting: number;
  failed: number;
}

/** A workflow's runs started since an instant, and how many of them have failed. */
export interface RunCounts {
  workflowId: string;
  runs: number;
  failures: number;
}

export interface WorkflowReads {
  getWorkflow(workspaceId: string, id: string): Promise<WorkflowRow | undefined>;
  getWorkflowByKey(workspaceId: string, key: string): Promise<WorkflowRow | undefined>;
  listWorkflows(workspaceId: string): Promise<WorkflowRow[]>;
  getVersion(workspaceId: string, workflowId: string, version: number): Promise<WorkflowVersionRow | undefined>;
  listVersions(workspaceId: string, workflowId: string): Promise<WorkflowVersionRow[]>;
  /** Each workflow's live version, or its latest when none is live: one read for the workflows list. */
  currentVersions(workspaceId: string): Promise<WorkflowVersionRow[]>;
  readWorkflowLog(workspaceId: string, workflowId: string, limit: number): Promise<WorkflowLogRow[]>;
  /** The loop stops (log rows with a chain) concerning a record, newest first, one per stopped event. */
  loopStopsOfRecord(workspaceId: string, recordId: string, limit: number): Promise<WorkflowLogRow[]>;
}

export interface WorkflowPort extends WorkflowReads {
  insertWorkflow(w: WorkflowRow): Promise<void>;
  updateWorkflow(w: WorkflowRow): Promise<void>;
  upsertVersion(v: WorkflowVersionRow): Promise<void>;
  appendWorkflowLog(rows: readonly WorkflowLogRow[]): Promise<void>;
}
