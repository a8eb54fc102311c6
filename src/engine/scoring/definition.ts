/**
 * A scoring model as admins write it (issue 21; docs/scoring.md "Models"): the JSON format and
 * its Zod schema. Shapes only — `check.ts` checks a model against the workspace's fields and
 * activity types, with paths. Lives in the engine (not crm) because its rules are written in the
 * workflow condition language (`definition.ts`'s `conditionSchema`, compiled by
 * `conditions.ts`), and crm may import nothing of ours.
 */
import { z } from "zod";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { type Condition, conditionSchema } from "../definition.js";

/** A key: what URLs, the ledger and the API name a model, group or rule by. */
export const scoreKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "a key is 1–64 lower-case letters, digits, - or _, starting with a letter");

const label = z.string().trim().min(1).max(120);
/** Finite points: negative allowed (a rule can take points away); NaN and infinities are not numbers here. */
const points = z.number({ error: "points must be a number" }).finite().min(-10_000).max(10_000);
const cap = z.number({ error: "a cap must be a number" }).finite().min(0, "a cap cannot be below zero").max(1_000_000);

/**
 * A fit rule gives its points when its condition holds — or, naming a conversion AI model
 * (`prediction`), the model's chance that the record converts × its points (docs/scoring.md
 * "AI prediction rules"). One of the two.
 */
export const fitRuleSchema = z
  .object({
    key: scoreKeySchema,
    label,
    when: conditionSchema.optional().describe("a workflow condition over the record and its references (company.industry)"),
    prediction: z
      .string()
      .trim()
      .min(1, "choose a conversion AI model: its name")
      .max(120)
      .optional()
      .describe("or the name of a conversion AI model: the rule gives its chance to convert × points"),
    points,
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.when === undefined) === (r.prediction === undefined))
      ctx.addIssue({
        code: "custom",
        path: r.when === undefined ? ["when"] : ["prediction"],
        message:
          r.when === undefined
            ? "a fit rule needs a condition (when) or an AI model's prediction (prediction)"
            : "a fit rule has a condition (when) or an AI model's prediction (prediction), not both",
      });
  });

export const engagementOnSchema = z.union([
  z.object({ activity: z.array(z.string().min(1).max(60)).min(1).max(20).describe("activity types (ACTIVITY_TYPES)") }).strict(),
  z.object({ external: z.array(z.string().min(1).max(120)).min(1).max(20).describe("inbound hook or form keys") }).strict(),
]);

export const engagementRuleSchema = z
  .object({
    key: scoreKeySchema,
    label,
    on: engagementOnSchema,
    when: conditionSchema
      .optional()
      .describe("activity rules: a condition over the activity; external rules: over the record as the delivery left it"),
    points,
  })
  .strict();

const groupOf = <R extends z.ZodType>(rule: R) =>
  z
    .object({
      key: scoreKeySchema,
      label,
      cap: cap.optional().describe("the group's value is at most this; none = no cap"),
      rules: z.array(rule).min(1).max(100),
    })
    .strict();

export const decaySchema = z.union([
  z
    .object({
      half_life_days: z
        .number({ error: "half_life_days must be a number" })
        .finite()
        .gt(0, "a decay of zero days is not a decay: give more than 0 days, or no decay")
        .max(3650),
    })
    .strict(),
  z
    .object({
      expires_after_days: z
        .number({ error: "expires_after_days must be a number" })
        .finite()
        .gt(0, "a decay of zero days is not a decay: give more than 0 days, or no decay")
        .max(3650),
    })
    .strict(),
]);

const weight = z.number({ error: "a weight must be a number" }).finite().min(0).max(100);

export const scoreModelSchema = z
  .object({
    key: scoreKeySchema,
    name: label,
    object: z.enum(OBJECT_NAMES),
    fields: z
      .object({
        total: z.string().min(1).max(200),
        fit: z.string().min(1).max(200).optional(),
        engagement: z.string().min(1).max(200).optional(),
      })
      .strict(),
    fit: z
      .object({ groups: z.array(groupOf(fitRuleSchema)).max(50) })
      .strict()
      .optional(),
    engagement: z
      .object({ groups: z.array(groupOf(engagementRuleSchema)).max(50), decay: decaySchema.optional() })
      .strict()
      .optional(),
    weights: z
      .object({ fit: weight.default(1), engagement: weight.default(1) })
      .strict()
      .default({ fit: 1, engagement: 1 }),
    total_cap: cap.optional().describe("the total is at most this; none = no cap"),
  })
  .strict();

export type ScoreModelInput = z.input<typeof scoreModelSchema>;

export interface FitRule {
  key: string;
  label: string;
  /** The condition under which it gives its points; absent on a prediction rule. */
  when?: Condition | undefined;
  /** A conversion AI model's name: the rule gives the chance to convert × points. */
  prediction?: string | undefined;
  points: number;
}
export type EngagementOn = { activity: string[] } | { external: string[] };
export interface EngagementRule {
  key: string;
  label: string;
  on: EngagementOn;
  when?: Condition | undefined;
  points: number;
}
export interface ScoreGroup<R> {
  key: string;
  label: string;
  cap?: number | undefined;
  rules: R[];
}
export type DecaySpec = { half_life_days: number } | { expires_after_days: number };

/** A model as stored in a version (defaults filled in). */
export interface ScoreModelDefinition {
  key: string;
  name: string;
  object: (typeof OBJECT_NAMES)[number];
  fields: { total: string; fit?: string | undefined; engagement?: string | undefined };
  fit?: { groups: ScoreGroup<FitRule>[] } | undefined;
  engagement?: { groups: ScoreGroup<EngagementRule>[]; decay?: DecaySpec | undefined } | undefined;
  weights: { fit: number; engagement: number };
  total_cap?: number | undefined;
}

/** The conversion AI models a model's prediction rules name, each once. */
export function predictionsRead(def: ScoreModelDefinition): string[] {
  return [...new Set((def.fit?.groups ?? []).flatMap((g) => g.rules.flatMap((r) => (r.prediction === undefined ? [] : [r.prediction]))))];
}

/** The output fields of a model, named. */
export function outputFields(def: ScoreModelDefinition): string[] {
  return [def.fields.total, def.fields.fit, def.fields.engagement].filter((f): f is string => typeof f === "string");
}
