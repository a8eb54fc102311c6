/**
 * An assignment reason on the wire (docs/routing.md, "The reason record"): served by
 * GET /api/v1/routing/assignments, the simulation, and as an entry of a record's timeline — one
 * named schema (`Assignment`), so the web app renders the three alike. Its presenter is
 * `assignmentView` (app/routing/routing-views.ts); the timeline's presenter is typed by this
 * schema, so the two cannot part.
 */
import { z } from "@hono/zod-openapi";

export const targetSchema = z.union([z.object({ user_id: z.string() }), z.object({ team: z.string() }), z.object({ queue: z.string() })]);

const candidate = z.object({
  user_id: z.string(),
  name: z.string(),
  eligible: z.boolean(),
  reason: z.string().nullable().describe("why not eligible: on PTO until …, outside working hours …, at capacity …"),
  reason_code: z.string().nullable(),
  weight: z.number(),
  load: z.number().nullable(),
  capacity: z.number().nullable(),
});

/** The queue strategy's counters (crm/assignment's QueueDetail, keys as stored), by strategy. */
const detail = z
  .discriminatedUnion("strategy", [
    z.object({
      strategy: z.literal("round_robin"),
      after: z.string().optional().describe("the member picked before this one"),
      eligibleCount: z.number(),
      text: z.string(),
    }),
    z.object({
      strategy: z.literal("weighted_round_robin"),
      weights: z.record(z.string(), z.number()).describe("each eligible member's weight, by user id"),
      credits: z.record(z.string(), z.number()).describe("each eligible member's running credit after this pick's increase, by user id"),
      total: z.number().describe("the eligible members' total weight: what the chosen one paid"),
      text: z.string(),
    }),
    z.object({
      strategy: z.literal("least_loaded"),
      loads: z.array(z.object({ userId: z.string(), load: z.number(), capacity: z.number().optional(), ratio: z.number().nullable() })),
      tied: z.number().describe("how many shared the lowest ratio"),
      after: z.string().optional(),
      text: z.string(),
    }),
  ])
  .nullable()
  .describe("the strategy's counters when a queue assigned; null otherwise");

export const assignmentSchema = z
  .object({
    id: z.string(),
    record_id: z.string(),
    record_name: z.string().nullable(),
    object: z.string(),
    field: z.string(),
    at: z.string(),
    outcome: z.enum(["assigned", "held", "failed"]),
    user_id: z.string().nullable(),
    user_name: z.string().nullable(),
    previous_user_id: z.string().nullable(),
    source: z.object({
      kind: z.enum(["workflow", "on_create", "hold_released", "rule_set_applied", "simulation"]),
      run_id: z.string().optional(),
      workflow_id: z.string().optional(),
      step: z.string().optional(),
    }),
    rule_set: z.object({ id: z.string(), name: z.string(), version: z.number() }).nullable(),
    rules: z.array(z.object({ id: z.string(), name: z.string(), matched: z.boolean(), why: z.string() })),
    matched_rule: z.string().nullable(),
    target: targetSchema.nullable(),
    queue: z.object({ id: z.string(), name: z.string(), strategy: z.string(), version: z.number() }).nullable(),
    candidates: z.array(candidate),
    detail,
    fallbacks: z.array(z.string()),
    why: z.string(),
  })
  .openapi("Assignment");
