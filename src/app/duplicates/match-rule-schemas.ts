/**
 * What the API and the CLI accept for a match rule (docs/data-quality.md, "Matching and
 * duplicates"), snake_case on the wire. Shapes and ranges here; match-rule-checks.ts checks the
 * fields against the object's (custom fields included).
 */
import { z } from "zod";
import { MATCH_KEY_KINDS } from "../../crm/dedupe/keys.js";
import { SIMILARITY_KINDS } from "../../crm/dedupe/similarity.js";

/** The objects that have match keys (crm/dedupe/keys.ts `KEY_FIELDS`). */
export const MATCHED_OBJECTS = ["lead", "contact", "company"] as const;
export type MatchedObject = (typeof MATCHED_OBJECTS)[number];

export const MATCH_ACTIONS = ["allow", "block", "alert", "merge"] as const;
export type MatchAction = (typeof MATCH_ACTIONS)[number];

export const MAX_COMPARED_FIELDS = 20;

const unit = z.number().min(0, "at least 0").max(1, "at most 1");

export const compareFieldSchema = z
  .object({
    field: z.string().min(1).max(64).describe("a field of the rule's object"),
    weight: z.number().min(0, "a weight is 0 or more").max(100, "a weight is at most 100"),
    similarity: z.enum(SIMILARITY_KINDS).describe("exact, levenshtein (1 − edits / length), jaro_winkler"),
  })
  .strict();

const editable = {
  name: z.string().trim().min(1, "a match rule needs a name").max(120),
  description: z.string().max(2000),
  object: z.enum(MATCHED_OBJECTS).describe("the object whose creates and updates the rule checks"),
  compare_with: z
    .array(z.enum(MATCHED_OBJECTS))
    .min(1)
    .max(3)
    .describe("the objects a record is compared with (a lead with leads and contacts)"),
  keys: z.array(z.enum(MATCH_KEY_KINDS)).min(1).max(MATCH_KEY_KINDS.length).describe("blocking keys: only records sharing one are scored"),
  fields: z.array(compareFieldSchema).min(1).max(MAX_COMPARED_FIELDS).describe("fields scored, with weights and a similarity"),
  threshold: unit.describe("a pair scoring at least this is a duplicate"),
  action: z
    .enum(MATCH_ACTIONS)
    .describe("allow (nothing), block (409), alert (queued for review), merge (automatically above merge_above)"),
  merge_above: unit
    .nullable()
    .describe("with action merge: pairs scoring at least this are merged, the others between threshold and it are queued"),
  enabled: z.boolean(),
};

export const matchRuleCreateSchema = z
  .object({
    ...editable,
    description: editable.description.default(""),
    compare_with: editable.compare_with.optional(),
    merge_above: editable.merge_above.default(null),
    enabled: editable.enabled.default(true),
  })
  .strict();
export const matchRulePatchSchema = z.object(editable).partial().strict();

/** A rule as stored (`definition`) and shown. */
export interface MatchRuleSpec {
  name: string;
  description: string;
  object: MatchedObject;
  compare_with: MatchedObject[];
  keys: Array<(typeof MATCH_KEY_KINDS)[number]>;
  fields: Array<z.infer<typeof compareFieldSchema>>;
  threshold: number;
  action: MatchAction;
  merge_above: number | null;
  enabled: boolean;
}
