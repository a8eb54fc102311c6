/**
 * What the API and the CLI accept for a validation rule or a stage gate (docs/data-quality.md
 * "Validation rules", "Stage gates"): shapes only; engine/rules.ts `ruleIssues` checks a rule
 * against the object's fields. The message is plain text, shown as typed (never a template).
 */
import { z } from "zod";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { conditionSchema } from "../../engine/definition.js";
import { RULE_ACTIONS, type RuleDefinition } from "../../engine/rules.js";

const common = {
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default("").describe("why the rule exists"),
  object: z.enum(OBJECT_NAMES),
  action: z.enum(RULE_ACTIONS).default("refuse").describe("refuse: 422, nothing written; warn: written, the record queued for review"),
  enabled: z.boolean().default(true),
  message: z.string().trim().min(1).max(500).describe("shown next to the field, as plain text"),
};
const field = z.string().min(1).max(200);

export const ruleInputSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("rule"),
      ...common,
      when: conditionSchema.describe("when this holds, the write is INVALID"),
      field: field.describe("the field the message is shown on"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("gate"),
      ...common,
      field: field.describe("the field that moves (e.g. stage)"),
      to: z
        .array(z.union([z.string(), z.number(), z.boolean()]))
        .min(1)
        .max(50)
        .describe("the values the gate guards: a write moving the field to one of them needs `requires`"),
      requires: conditionSchema.describe("what must hold for the move"),
      shown_on: field.optional().describe("the field the message is shown on; default `field`"),
    })
    .strict(),
]);

/** A rule as written by a person: the definition the engine compiles. */
export function toRuleDefinition(input: z.infer<typeof ruleInputSchema>): RuleDefinition {
  if (input.kind === "rule") return input;
  const { shown_on, ...rest } = input;
  return shown_on === undefined ? rest : { ...rest, shown_on };
}
