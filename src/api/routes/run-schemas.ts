/**
 * The shapes of runs on the wire — a run, its steps with their effects and delivery attempts, its
 * outbox items, what a waiting run waits for — as Zod schemas for the OpenAPI document (so the web
 * app's client is typed, not `unknown`) and the presenters that make them. Each presenter's return
 * type is the schema's `z.infer`: TypeScript fails the build when a presenter and its schema part.
 */
import { z } from "@hono/zod-openapi";
import type { WaitView } from "../../app/workflows/wait-view.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import type { OutboxAttempt, OutboxRow } from "../../store/outbox-ports.js";
import type { RunRow, RunStepRow, WorkflowLogRow } from "../../store/workflow-ports.js";

export const runStatusSchema = z.enum(["running", "waiting", "completed", "exited", "failed", "cancelled"]).openapi("RunStatus");

/** The run state's wait, as stored (engine/run-state.ts `Wait`: camelCase keys). */
export const runWaitSchema = z
  .union([
    z.object({ kind: z.literal("timer"), timerId: z.string(), dueAt: z.string(), next: z.string().nullable() }),
    z.object({ kind: z.literal("wait_for"), timerId: z.string(), dueAt: z.string() }),
    z.object({ kind: z.literal("action"), key: z.string() }),
    z.object({
      kind: z.literal("approval"),
      requestId: z.string(),
      round: z.number(),
      timerId: z.string().nullable(),
      dueAt: z.string().nullable(),
      escalations: z.number(),
    }),
    z.object({
      kind: z.literal("revision"),
      requestId: z.string(),
      round: z.number(),
      // Absent from waits stored before a revision had a deadline.
      timerId: z.string().nullable().optional(),
      dueAt: z.string().nullable().optional(),
    }),
  ])
  .openapi("RunWait");

// A named schema made `.nullable()` turns its component nullable too: null is added as a union instead.
export const runSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    version: z.number(),
    record_id: z.string(),
    status: runStatusSchema,
    step: z.string().nullable().meta({ description: "the step it is at (null once past its last step)" }),
    wait: runWaitSchema
      .nullable()
      .meta({ description: "what a waiting run's state holds: its timer, or the action whose result it awaits" }),
    reason: z.string().nullable().meta({ description: "why an ended run ended" }),
    steps_taken: z.number(),
    depth: z.number().meta({ description: "causal depth: 1 + the depth of the event that started it" }),
    trigger: z.string().meta({ description: "the triggering event's id, or a manual enrollment's key" }),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("Run");
export type RunView = z.infer<typeof runSchema>;

export const presentRun = (r: RunRow): RunView => ({
  id: r.id,
  workflow_id: r.workflowId,
  version: r.version,
  record_id: r.recordId,
  status: r.state.status,
  step: r.state.step,
  wait: r.state.wait,
  reason: r.state.reason,
  steps_taken: r.state.stepsTaken,
  depth: r.depth,
  trigger: r.triggerKey,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  finished_at: r.finishedAt,
});

export const waitingForSchema = z
  .object({
    for: z
      .string()
      .nullable()
      .meta({ description: 'what ends the wait early, in words ("a call activity on this record"); null for a plain timer' }),
    until: z.string().nullable().meta({ description: "when the wait ends on its own; null when only an outside result ends it" }),
    next_step: z.string().nullable().meta({ description: "the step the run goes to then; null = it ends there" }),
    why: z.string().nullable().meta({ description: "the waiting step's description: why it waits" }),
  })
  .openapi("WaitingFor");

/** A waiting run's `waiting_for`; null for a run that is not waiting. */
export const presentWait = (w: WaitView | undefined): z.infer<typeof waitingForSchema> | null =>
  w ? { for: w.for, until: w.until, next_step: w.next, why: w.why } : null;

/** A run in a list: the run and, when it waits, what for (the record page's Automation panel). */
export const runListItemSchema = runSchema.extend({ waiting_for: z.union([waitingForSchema, z.null()]) }).openapi("RunListItem");

export const deliveryAttemptSchema = z
  .object({
    outbox_id: z.string(),
    attempt: z.number().meta({ description: "1, 2, 3 … (from 1 again after a replay)" }),
    at: z.string(),
    outcome: z.enum(["delivered", "retry", "dead"]),
    status: z.number().nullable().meta({ description: "HTTP status or SMTP code, when the receiver answered" }),
    error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
  })
  .openapi("DeliveryAttempt");

/** One delivery attempt of an external action, as the run log, the timeline and the outbox show it. */
export const presentAttempt = (a: OutboxAttempt): z.infer<typeof deliveryAttemptSchema> => ({
  outbox_id: a.outboxId,
  attempt: a.attempt,
  at: a.at,
  outcome: a.outcome,
  status: a.status,
  error: a.error,
  next_attempt_at: a.nextAttemptAt,
});

/**
 * What a step did, one entry per command carried out: runtime/effects.ts's `Effect`, which the
 * api layer may not import; test/api/run-schemas.test.ts checks that type against this schema.
 */
export const stepEffectSchema = z
  .union([
    z.object({ command: z.literal("update_record"), record_id: z.string(), fields: z.record(z.string(), z.unknown()) }),
    z.object({
      command: z.literal("create_record"),
      object: z.enum(OBJECT_NAMES),
      record_id: z.string().optional(),
      fields: z.record(z.string(), z.unknown()),
    }),
    z.object({
      command: z.literal("assign_owner"),
      field: z.string(),
      user_id: z.string().nullable().describe("null: a queue held the record until someone is free"),
      why: z.string(),
      assignment_id: z
        .string()
        .optional()
        .describe("the reason record (GET /api/v1/routing/assignments/{id}) of a queue or rule set decision"),
      outcome: z.enum(["assigned", "held"]).optional(),
    }),
    z.object({ command: z.literal("change_score"), field: z.string(), from: z.number(), to: z.number() }),
    z.object({ command: z.literal("notify"), notification_id: z.string(), user_id: z.string(), why: z.string() }),
    z.object({
      command: z.literal("queue_review"),
      item_id: z.string().nullable(),
      added: z.boolean(),
      assignee_id: z.string().nullable(),
    }),
    z.object({
      command: z.literal("merge_records"),
      merged: z.boolean(),
      merge_id: z.string().nullable(),
      survivor_id: z.string().nullable(),
      why: z.string(),
    }),
    z.object({ command: z.literal("start_timer"), timer_id: z.string(), due_at: z.string() }),
    z.object({ command: z.literal("cancel_timer"), timer_id: z.string() }),
    z.object({ command: z.literal("enroll"), workflow: z.string(), run_id: z.string() }),
    z.object({
      command: z.literal("open_approval"),
      request_id: z.string().meta({ description: "GET /api/v1/approvals/{id}" }),
      round: z.number(),
      asked: z.array(z.string()).meta({ description: "the names of the first level's approvers" }),
      notes: z.array(z.string()).meta({ description: "who was left out and why: the submitter, someone away" }),
    }),
    z.object({ command: z.literal("escalate_approval"), request_id: z.string(), added: z.array(z.string()) }),
    z.object({
      command: z.literal("close_approval"),
      request_id: z.string(),
      status: z.string(),
      closed: z.boolean().meta({ description: "false: the request had been decided already" }),
    }),
    z.object({ command: z.literal("unenroll"), workflow: z.string(), runs: z.array(z.string()) }),
    z.object({
      command: z.literal("record_prediction"),
      prediction_id: z.string(),
      model: z.string().meta({ description: "the AI model's name" }),
      field: z.string(),
      value: z.string().meta({ description: "what the model predicted" }),
      confidence: z.number(),
      threshold: z.number(),
      applied: z.boolean().meta({ description: "false: less confident than the threshold, not written" }),
      reasons: z.array(z.string()).meta({ description: "what decided it, in words" }),
    }),
    z.object({
      command: z.literal("enqueue_external"),
      outbox_id: z.string().nullable().meta({ description: "null: the key was on the outbox already" }),
      key: z.string(),
      kind: z.string(),
      connector: z.string().nullable(),
    }),
    z.object({ command: z.literal("enqueue_external"), key: z.string(), error: z.string().meta({ description: "why it was not queued" }) }),
  ])
  .openapi("StepEffect");
export type StepEffect = z.infer<typeof stepEffectSchema>;

export const runStepSchema = z
  .object({
    seq: z.number(),
    step: z.string().nullable(),
    type: z.string().meta({ description: "the step's type, or what happened to the run there (retry, cancel, error, goal …)" }),
    input: z.string().meta({ description: "the input as a sentence" }),
    outcome: z.string(),
    why: z.string(),
    effects: z.array(stepEffectSchema),
    at: z.string(),
    duration_ms: z.number(),
    attempts: z
      .array(deliveryAttemptSchema)
      .optional()
      .meta({ description: "an external action's delivery attempts, on the step that enqueued it and the one that took its result" }),
  })
  .openapi("RunStep");

export const presentStep = (s: RunStepRow & { attempts?: OutboxAttempt[] }): z.infer<typeof runStepSchema> => ({
  seq: s.seq,
  step: s.step,
  type: s.type,
  input: s.input,
  outcome: s.outcome,
  why: s.why,
  // Stored untyped (run_steps.effects); the executor writes exactly runtime/effects.ts's Effect[].
  effects: s.effects as StepEffect[],
  at: s.at,
  duration_ms: s.durationMs,
  ...(s.attempts ? { attempts: s.attempts.map(presentAttempt) } : {}),
});

export const runDeliverySchema = z
  .object({
    id: z.string(),
    key: z.string(),
    kind: z.string(),
    connector: z.string().nullable(),
    status: z.enum(["pending", "delivered", "dead"]),
    attempts: z.number(),
    next_attempt_at: z.string().nullable().meta({ description: "while pending" }),
    last_status: z.number().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
  })
  .openapi("RunDelivery");

/**
 * An outbox item of the run, as its inspector shows it: where the delivery stands. Not its
 * payload or the receiver's answer (the outbox, for admins and managers, shows those).
 */
export const presentRunDelivery = (o: OutboxRow): z.infer<typeof runDeliverySchema> => ({
  id: o.id,
  key: o.key,
  kind: o.kind,
  connector: o.connector,
  status: o.status,
  attempts: o.attempts,
  next_attempt_at: o.status === "pending" ? o.nextAttemptAt : null,
  last_status: o.lastStatus,
  last_error: o.lastError,
  delivered_at: o.deliveredAt,
});

export const runDetailSchema = runListItemSchema
  .extend({
    description: z.string().nullable().meta({ description: "why the workflow exists" }),
    steps: z.array(runStepSchema.extend({ description: z.string().nullable().meta({ description: "why the step exists" }) })),
    deliveries: z.array(runDeliverySchema),
  })
  .openapi("RunDetail");

export const workflowLogEntrySchema = z
  .object({
    kind: z.enum(["suppressed", "skipped", "enrolled", "deferred", "forced"]),
    message: z.string(),
    record_id: z.string().nullable(),
    event_id: z.string().nullable(),
    at: z.string(),
    chain: z.array(z.string()).optional().meta({ description: "a loop stop: the workflows of the chain, in order" }),
  })
  .openapi("WorkflowLogEntry");

export const presentLogEntry = (r: WorkflowLogRow): z.infer<typeof workflowLogEntrySchema> => ({
  kind: r.kind,
  message: r.message,
  record_id: r.recordId,
  event_id: r.eventId,
  at: r.at,
  ...(r.chain ? { chain: [...r.chain] } : {}),
});
