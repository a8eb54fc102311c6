/**
 * What the API and the CLI accept for an SLA policy (docs/sla.md, "SLA policies"): the JSON of
 * the doc, with defaults. Shapes only; sla-checks.ts checks a policy against the workspace
 * (the object's fields and their values, activity types, the calendar) and its targets against
 * each other (a warning before the smallest target).
 */
import { z } from "zod";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { calendarRefSchema, conditionSchema } from "../../engine/definition.js";
import type { SlaPolicyDefinition } from "../../store/sla-ports.js";

const name = z.string().trim().min(1).max(120);
const description = z.string().max(2000);

/** Business time: `days` are 24 h of open time (on a 24×7 calendar, days are days); the parts add up. */
export const slaDurationSchema = z
  .object({
    days: z.number().int().min(0).max(1_000).optional(),
    hours: z.number().int().min(0).max(24_000).optional(),
    minutes: z.number().int().min(0).max(1_440_000).optional(),
  })
  .strict()
  .refine((d) => d.days !== undefined || d.hours !== undefined || d.minutes !== undefined, {
    message: "a business time has days, hours or minutes",
  });

const field = z.string().min(1).max(200);
/** Values a field may take, as a condition compares them (checked against the field's type and options). */
const values = z
  .array(z.union([z.string(), z.number(), z.boolean()]))
  .min(1)
  .max(100);

export const slaStartSchema = z.discriminatedUnion("on", [
  z.object({ on: z.literal("created") }).strict(),
  z
    .object({
      on: z.literal("field_changed"),
      field,
      to: values.optional().describe("only when it changes to one of these; unset = any change"),
    })
    .strict(),
]);

export const slaStopSchema = z.discriminatedUnion("on", [
  z
    .object({
      on: z.literal("activity"),
      types: z.array(z.string().min(1)).min(1).max(10).describe("activity types, e.g. email, call"),
      by: z.enum(["owner", "anyone"]).default("anyone").describe("logged by the record's owner, or by anyone"),
    })
    .strict(),
  z.object({ on: z.literal("field_value"), field, in: values }).strict(),
  z.object({ on: z.literal("field_changed"), field }).strict(),
]);

export const slaWarningSchema = z.union([
  z.object({ fraction: z.number().gt(0).lt(1).describe("of the target, between 0 and 1") }).strict(),
  z.object({ before: slaDurationSchema.describe("business time before the target") }).strict(),
]);

const editable = {
  name,
  description,
  enabled: z.boolean(),
  applies_when: conditionSchema.nullable().describe("on the record; unset = every record of the object"),
  starts: slaStartSchema,
  stops: slaStopSchema,
  target: slaDurationSchema,
  targets_by: z
    .object({
      field,
      values: z.record(z.string().min(1).max(200), slaDurationSchema).describe("a target per value; a value not listed takes `target`"),
    })
    .strict()
    .nullable(),
  calendar: calendarRefSchema,
  pause_when: conditionSchema.nullable().describe("while it holds the clock stops counting"),
  warning: slaWarningSchema.nullable(),
  escalations: z
    .array(z.object({ after: slaDurationSchema.describe("business time after the breach") }).strict())
    .max(10, "at most 10 escalation levels"),
};

export const slaPolicyCreateSchema = z
  .object({
    ...editable,
    object: z.enum(OBJECT_NAMES),
    description: editable.description.default(""),
    enabled: editable.enabled.default(true),
    applies_when: editable.applies_when.optional(),
    targets_by: editable.targets_by.optional(),
    calendar: editable.calendar.default({ of: "workspace" }),
    pause_when: editable.pause_when.optional(),
    warning: editable.warning.optional(),
    escalations: editable.escalations.default([]),
  })
  .strict();

/** A change: any part but the object (a policy measures one object's records for its whole life); null unsets an optional part. */
export const slaPolicyPatchSchema = z.object(editable).partial().strict();

export type SlaPolicyInput = z.infer<typeof slaPolicyCreateSchema>;
export type SlaPolicyPatch = z.infer<typeof slaPolicyPatchSchema>;

/** The definition as stored: optional parts absent rather than null. */
export function toDefinition(v: SlaPolicyInput): SlaPolicyDefinition {
  return {
    name: v.name,
    description: v.description,
    object: v.object,
    enabled: v.enabled,
    ...(v.applies_when ? { applies_when: v.applies_when } : {}),
    starts: v.starts,
    stops: v.stops,
    target: v.target,
    ...(v.targets_by ? { targets_by: v.targets_by } : {}),
    calendar: v.calendar,
    ...(v.pause_when ? { pause_when: v.pause_when } : {}),
    ...(v.warning ? { warning: v.warning } : {}),
    escalations: v.escalations,
  };
}
