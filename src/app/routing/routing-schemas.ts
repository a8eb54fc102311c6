/**
 * What the API and the CLI accept for routing (docs/routing.md): queues, rule sets, a person's
 * availability and a simulation. Shapes only; routing-checks.ts checks them against the
 * workspace (fields, users, teams, queues, fallback cycles).
 */
import { z } from "zod";
import { QUEUE_STRATEGY_NAMES } from "../../crm/assignment/index.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { conditionSchema } from "../../engine/definition.js";
import { workingHoursSchema } from "../working-hours.js";

const name = z.string().trim().min(1).max(120);
const description = z.string().max(2000);

// The messages are read by admins in the web app beside the target they chose, not only by developers.
export const targetSchema = z.union(
  [
    z.object({ user_id: z.string().min(1, "choose a person (their user id)") }).strict(),
    z
      .object({ team: z.string().min(1, "choose a team (its name or id)").describe("team id or name; round-robin over its members") })
      .strict(),
    z.object({ queue: z.string().min(1, "choose a queue (its name or id)").describe("queue name or id") }).strict(),
  ],
  { error: 'a target is a person {"user_id": id}, a team {"team": name or id} or a queue {"queue": name or id}' },
);

export const fallbackSchema = z.union([
  z.object({ queue: z.string().min(1) }).strict(),
  z.object({ user_id: z.string().min(1) }).strict(),
  z.object({ hold: z.literal(true).describe("keep the record in the queue until someone is free") }).strict(),
]);

export const memberSchema = z
  .object({
    user_id: z.string().min(1),
    weight: z.number().int().positive("a weight is a whole number above 0").max(1000).default(1),
    capacity: z.number().int().min(0).max(100_000).optional().describe("open items at most in this queue; default the user's capacity"),
  })
  .strict();

export const loadSchema = z
  .object({
    object: z.enum(OBJECT_NAMES),
    owner_field: z.string().min(1).describe("the user reference that makes an item someone's (owner_id, assignee_id)"),
    where: conditionSchema.optional().describe("which of those count as open work, e.g. status is not closed"),
  })
  .strict();

const queueEditable = {
  name,
  description,
  strategy: z.enum(QUEUE_STRATEGY_NAMES),
  respect_availability: z.boolean(),
  respect_capacity: z.boolean(),
  load: loadSchema.nullable(),
  fallback: fallbackSchema.nullable(),
  members: z.array(memberSchema).min(1, "a queue needs at least one member").max(500),
};

export const queueCreateSchema = z
  .object({
    ...queueEditable,
    description: description.default(""),
    strategy: queueEditable.strategy.default("round_robin"),
    respect_availability: queueEditable.respect_availability.default(true),
    respect_capacity: queueEditable.respect_capacity.default(false),
    load: queueEditable.load.default(null),
    fallback: queueEditable.fallback.default(null),
  })
  .strict();
export const queuePatchSchema = z.object(queueEditable).partial().strict();
export type QueueInput = z.infer<typeof queueCreateSchema>;

export const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "rule ids are lower-case letters, digits, - and _")
      .optional()
      .describe("stable id; generated from the position when absent"),
    name: name,
    when: conditionSchema,
    target: targetSchema,
  })
  .strict();

const ruleSetEditable = {
  name,
  description,
  field: z.string().min(1).describe("the user reference to fill; default owner_id"),
  on_create: z.boolean().describe("run on every new record of the object that has no owner yet"),
  rules: z.array(ruleSchema).max(200),
  default_target: targetSchema.nullable(),
};

export const ruleSetCreateSchema = z
  .object({
    ...ruleSetEditable,
    object: z.enum(OBJECT_NAMES),
    description: description.default(""),
    field: ruleSetEditable.field.default("owner_id"),
    on_create: ruleSetEditable.on_create.default(false),
    default_target: ruleSetEditable.default_target.default(null),
  })
  .strict();
export const ruleSetPatchSchema = z.object(ruleSetEditable).partial().strict();
export type RuleSetInput = z.infer<typeof ruleSetCreateSchema>;

export const periodSchema = z
  .object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((p) => Date.parse(p.end) > Date.parse(p.start), { message: "a period ends after it starts", path: ["end"] });

export const availabilitySchema = z
  .object({
    available_now: z.boolean(),
    time_zone: z.string().min(1).max(64),
    working_hours: workingHoursSchema.nullable().describe("null or {}: no restriction; else a missing day is a day off"),
    pto: z.array(periodSchema).max(100),
  })
  .partial()
  .strict();

export const simulateSchema = z
  .object({
    last: z.number().int().min(1).max(1000).default(100).describe("the N most recently created records of the rule set's object"),
    since: z.iso.datetime({ offset: true }).optional().describe("only records created at or after"),
    until: z.iso.datetime({ offset: true }).optional().describe("only records created before"),
  })
  .strict();
