/**
 * A record's timeline on the wire (GET /api/v1/{objects}/{id}/timeline): workflow steps, delivery
 * attempts of external actions, field changes with who made them, loop stops, activities and
 * routing's assignment reasons, newest first — a union by `kind`, as a Zod schema for the OpenAPI document and the presenter
 * that makes it (typed by the schema, so the two cannot part).
 */
import { z } from "@hono/zod-openapi";
import type { AssignmentView } from "../../app/routing/routing-views.js";
import type { ActorKind } from "../../crm/actor.js";
import type { OutboxAttempt } from "../../store/outbox-ports.js";
import type { AuditEntry, StoredRecord } from "../../store/ports.js";
import type { RunStepRow, WorkflowLogRow } from "../../store/workflow-ports.js";
import { anyRecordSchema } from "../openapi/record-schemas.js";
import { presentAudit, presentRecord } from "../present.js";
import { assignmentSchema } from "./assignment-schema.js";
import { deliveryAttemptSchema, presentAttempt, presentStep, runStepSchema } from "./run-schemas.js";

const workflowRefSchema = z
  .object({ id: z.string(), key: z.string(), name: z.string() })
  .nullable()
  .meta({ description: "the step's workflow (null: deleted)" });

export const timelineItemSchema = z
  .discriminatedUnion("kind", [
    runStepSchema.extend({ kind: z.literal("workflow_step"), workflow: workflowRefSchema, run_id: z.string() }),
    deliveryAttemptSchema.extend({
      kind: z.literal("delivery_attempt"),
      workflow: workflowRefSchema,
      run_id: z.string(),
      step: z.string().nullable(),
    }),
    z.object({
      kind: z.literal("change"),
      action: z.enum(["create", "update", "delete"]),
      at: z.string(),
      actor: z.object({
        kind: z.enum(["person", "integration", "workflow", "system"] satisfies ActorKind[]),
        id: z.string(),
        name: z.string().nullable().meta({ description: "a person's, token's or workflow's name; null when unknown" }),
      }),
      changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
      request_id: z.string().nullable(),
    }),
    z.object({
      kind: z.literal("loop_stop"),
      at: z.string(),
      message: z.string(),
      event_id: z.string().nullable(),
      workflows: z
        .array(z.object({ id: z.string(), key: z.string().nullable(), name: z.string().nullable() }))
        .meta({ description: "the workflows of the chain, in order (key and name null: deleted)" }),
    }),
    z.object({ kind: z.literal("activity"), at: z.string(), activity: anyRecordSchema }),
    z.object({
      kind: z.literal("assignment"),
      at: z.string(),
      assignment: assignmentSchema.meta({
        description: "routing's decision (assigned, held or failed) with its whole reason, as GET /routing/assignments gives it",
      }),
    }),
  ])
  .openapi("TimelineItem");
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const timelineSchema = z.object({ record: anyRecordSchema, data: z.array(timelineItemSchema) }).openapi("Timeline");

interface WorkflowRef {
  id: string;
  key: string;
  name: string;
}

/** What the timeline is made of, as the services answer it. */
export interface TimelineParts {
  steps: ReadonlyArray<RunStepRow & { attempts?: OutboxAttempt[]; workflow: WorkflowRef | undefined }>;
  audit: readonly AuditEntry[];
  /** Actor names by `kind:id`. */
  actorNames: ReadonlyMap<string, string>;
  stops: ReadonlyArray<WorkflowLogRow & { workflows: ReadonlyArray<{ id: string; key: string | null; name: string | null }> }>;
  activities: readonly StoredRecord[];
  /** Routing's decisions about the record (assignment reasons), any order. */
  assignments: readonly AssignmentView[];
}

const workflowRef = (w: WorkflowRef | undefined) => (w ? { id: w.id, key: w.key, name: w.name } : null);

export function presentTimeline({ steps, audit, actorNames, stops, activities, assignments }: TimelineParts): TimelineItem[] {
  // Each delivery attempt of an external action, at its own time (a step and its result share them: once each).
  const seen = new Set<string>();
  const attempts = steps.flatMap((s) =>
    (s.attempts ?? [])
      .filter((a) => {
        const k = `${a.outboxId}\u0000${a.at}\u0000${a.attempt}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .map((a) => ({
        kind: "delivery_attempt" as const,
        workflow: workflowRef(s.workflow),
        run_id: s.runId,
        step: s.step,
        ...presentAttempt(a),
      })),
  );
  const items: TimelineItem[] = [
    ...steps.map((s) => ({ kind: "workflow_step" as const, workflow: workflowRef(s.workflow), run_id: s.runId, ...presentStep(s) })),
    ...attempts,
    ...audit.map((a) => ({
      kind: "change" as const,
      ...presentAudit(a),
      actor: { ...a.actor, name: actorNames.get(`${a.actor.kind}:${a.actor.id}`) ?? null },
    })),
    ...stops.map((s) => ({
      kind: "loop_stop" as const,
      at: s.at,
      message: s.message,
      event_id: s.eventId,
      workflows: s.workflows.map((w) => ({ id: w.id, key: w.key, name: w.name })),
    })),
    ...activities.map((record) => ({
      kind: "activity" as const,
      at: (record.data.occurred_at as string | undefined) ?? record.createdAt,
      activity: presentRecord(record),
    })),
    ...assignments.map((a) => ({ kind: "assignment" as const, at: a.at, assignment: a })),
  ];
  // Newest first. Entries of one instant keep the order above (the sort is stable), except
  // around routing's decisions: routing decides, then writes the owner (and a workflow step
  // logs it), so those read above the decision, and what led to it (the creation) below.
  const decided = new Set(assignments.map((a) => a.field));
  const rank = (i: TimelineItem) =>
    i.kind === "workflow_step" ||
    i.kind === "delivery_attempt" ||
    (i.kind === "change" && i.action === "update" && i.changes.some((c) => decided.has(c.field)))
      ? 0
      : i.kind === "assignment"
        ? 1
        : 2;
  return items.sort(
    (a, b) =>
      b.at.localeCompare(a.at) ||
      rank(a) - rank(b) ||
      // Two decisions of one instant: the later id first, as the store lists them.
      (a.kind === "assignment" && b.kind === "assignment" ? b.assignment.id.localeCompare(a.assignment.id) : 0) ||
      // Two steps of one run in one instant (a run's steps often commit in the same millisecond):
      // the later step first, so that the run reads in its order.
      (a.kind === "workflow_step" && b.kind === "workflow_step" && a.run_id === b.run_id ? b.seq - a.seq : 0),
  );
}
