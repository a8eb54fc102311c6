/**
 * What the API accepts for an AI model (issue 24; docs/ai.md), snake_case on the wire. Shapes and
 * ranges here; ai-model-checks.ts checks the fields against the object's (custom fields included).
 */
import { z } from "zod";
import { ACTIVITY_TYPES } from "../../crm/objects.js";

/** The objects a classifier can learn a field of: those people file and triage. */
export const AI_OBJECTS = ["ticket", "lead", "deal", "contact", "company"] as const;

/**
 * What a model learns: a `classifier` predicts a field's value (naive Bayes over words and values);
 * a `conversion` model the chance a record reaches one of its `converted` values rather than one
 * of its `lost` ones (logistic regression over values and activity counts), read by scoring models.
 */
export const AI_MODEL_KINDS = ["classifier", "conversion"] as const;
export type AiModelKind = (typeof AI_MODEL_KINDS)[number];

export const MAX_TEXT_FIELDS = 5;
export const MAX_VALUE_FIELDS = 10;
export const MAX_OUTCOME_VALUES = 20;

const fieldName = z.string().min(1).max(64);

const editable = {
  name: z.string().trim().min(1, "a model needs a name").max(120),
  description: z.string().max(2000),
  object: z.enum(AI_OBJECTS).describe("the object whose records the model learns from and predicts"),
  target: fieldName.describe("the field it predicts: a text or choice field of the object (a ticket's category)"),
  text_fields: z.array(fieldName).max(MAX_TEXT_FIELDS).describe("text fields whose words it reads (a ticket's subject and description)"),
  value_fields: z.array(fieldName).max(MAX_VALUE_FIELDS).describe("fields whose values it reads as they are (plan, channel)"),
  converted: z
    .array(z.string().min(1).max(120))
    .max(MAX_OUTCOME_VALUES)
    .describe("conversion models: the target's values that mean the record converted (a lead's status converted)"),
  lost: z
    .array(z.string().min(1).max(120))
    .max(MAX_OUTCOME_VALUES)
    .describe("conversion models: the target's values that mean it did not (unqualified); other values are still open"),
  activity_types: z
    .array(z.enum(ACTIVITY_TYPES))
    .max(ACTIVITY_TYPES.length)
    .describe("conversion models: activity types whose counts on the record it reads (calls, meetings)"),
  threshold: z
    .number()
    .min(0, "a threshold is between 0 and 1")
    .max(1, "a threshold is between 0 and 1")
    .describe("predictions less confident than this are low confidence (the classify action's triage path)"),
};

export const aiModelCreateSchema = z
  .object({
    kind: z.enum(AI_MODEL_KINDS).default("classifier").describe("classifier: a field's value; conversion: the chance a record converts"),
    ...editable,
    description: editable.description.default(""),
    text_fields: editable.text_fields.default([]),
    value_fields: editable.value_fields.default([]),
    converted: editable.converted.default([]),
    lost: editable.lost.default([]),
    activity_types: editable.activity_types.default([]),
    threshold: editable.threshold.default(0.6),
  })
  .strict();

export const aiModelPatchSchema = z
  .object({
    ...editable,
    enabled: z.boolean().describe("on: workflows may use it; only a trained model with enough labels can be turned on"),
  })
  .partial()
  .strict();

export type AiModelSpec = z.output<typeof aiModelCreateSchema>;

/**
 * A stored definition as it is used: models saved before conversion models existed have no
 * `kind`, `converted`, `lost` or `activity_types` — they are classifiers reading no activity.
 */
export function specOf(definition: unknown): AiModelSpec {
  const d = definition as Partial<AiModelSpec>;
  return {
    ...(d as AiModelSpec),
    kind: d.kind ?? "classifier",
    converted: d.converted ?? [],
    lost: d.lost ?? [],
    activity_types: d.activity_types ?? [],
  };
}

/** The most activities of one type a described record may be said to have (log2(1 + n) flattens far below it). */
export const MAX_DESCRIBED_ACTIVITIES = 10_000;

export const aiPredictSchema = z
  .object({
    record_id: z.string().min(1).max(64).optional().describe("a record of the model's object"),
    record: z.record(z.string(), z.unknown()).optional().describe("or the fields of a record described inline"),
    activities: z
      // Any key here; the types are checked against the model's own (ai-model-admin.ts describedActivities).
      .record(
        z.string().max(64),
        z
          .number("a number of activities")
          .int("a whole number of activities")
          .min(0, "no fewer than 0 activities")
          .max(MAX_DESCRIBED_ACTIVITIES, `at most ${MAX_DESCRIBED_ACTIVITIES} activities`),
      )
      .optional()
      .describe("with record, for a conversion model: how many activities of each type it counts the described record has"),
  })
  .strict()
  .refine((b) => (b.record_id === undefined) !== (b.record === undefined), {
    message: "give record_id or record, one of them",
    path: ["record_id"],
  })
  .refine((b) => b.activities === undefined || b.record !== undefined, {
    message: "activities describe a record given inline: a saved record's own activities are counted",
    path: ["activities"],
  });
