/**
 * The shapes a test run and a test case take (issue 19; docs/testing-workflows.md), snake_case
 * as served. Inline record data is data: it is written to the sandbox as a record's fields and
 * rendered by templates as values, never compiled.
 */
import { z } from "zod";
import { SLA_OUTCOMES } from "../../engine/test-answers.js";

/** Fields of an inline record (or of `changes`), and their JSON size, at most. */
export const MAX_INLINE_FIELDS = 200;
export const MAX_INLINE_BYTES = 64 * 1024;
/** Answers per step (rounds of an approval), and test cases per workflow, at most. */
export const MAX_ANSWERS_PER_STEP = 20;
export const MAX_CASES = 200;

const fields = z
  .record(z.string().min(1).max(64), z.unknown())
  .refine((r) => Object.keys(r).length <= MAX_INLINE_FIELDS, { message: `at most ${MAX_INLINE_FIELDS} fields` })
  .refine((r) => JSON.stringify(r).length <= MAX_INLINE_BYTES, { message: `at most ${MAX_INLINE_BYTES} bytes of JSON` });

/** The answers key of what the tester decides about the trigger itself (an `sla` trigger's milestone); never a step id. */
export const TRIGGER_ANSWER = "@trigger";
const minutes = z.number().min(0).max(525_600);

/**
 * What the tester decides when the run waits at a step: an approval's decision; "let the wait
 * pass"; for a `wait_for`, the awaited event or change happening N minutes later (with the fields
 * it brings), or the wait timing out; for an SLA clock on the record, its outcome — met (after N
 * minutes) or a milestone reached. Under `@trigger`, an `sla` trigger's milestone (or `met`).
 */
export const answerSchema = z.union([
  z
    .object({
      decision: z.enum(["approve", "reject", "send_back"]),
      comment: z.string().max(2000).optional(),
    })
    .strict(),
  z.object({ pass: z.literal(true).describe("to_next_wait: let this step's wait pass instead of stopping there") }).strict(),
  z
    .object({
      event_after_minutes: minutes.describe("wait_for: the awaited event (or condition change) happens this many simulated minutes later"),
      fields: fields.optional().describe("the fields of the awaited record (or of the change); default: what the wait's condition names"),
    })
    .strict(),
  z.object({ timeout: z.literal(true).describe("wait_for: nothing arrives; the wait times out") }).strict(),
  z
    .object({
      sla: z.enum(SLA_OUTCOMES).describe("met: the SLA's stop happens; warning / breach / escalation: time passes until that milestone"),
      policy: z.string().min(1).max(120).optional().describe("which SLA policy's clock, by name; default: every open clock of the record"),
      level: z.number().int().min(0).max(11).optional().describe("escalation level (2…) under @trigger"),
      after_minutes: minutes.optional().describe("met: this many simulated minutes later (default 0)"),
      fields: fields.optional().describe("met: the fields of the stopping change (needed when the SLA stops on a field changing)"),
    })
    .strict(),
]);
export type Answer = z.infer<typeof answerSchema>;

export const answersSchema = z
  .record(z.string().min(1).max(64), z.union([answerSchema, z.array(answerSchema).max(MAX_ANSWERS_PER_STEP)]))
  .refine((r) => Object.keys(r).length <= 100, { message: "answers for at most 100 steps" });
export type Answers = z.infer<typeof answersSchema>;

export const MODES = ["to_end", "to_next_wait"] as const;
export type Mode = (typeof MODES)[number];

/** The record a test runs with: a live one by id, or one described inline; `changes` for update triggers. */
export const setupShape = {
  record_id: z.string().min(1).max(64).optional().describe("a live record of the workspace (copied into the sandbox, never written)"),
  record: fields
    .optional()
    .describe("a record described inline, created in the sandbox (for record_created workflows, the create is the trigger)"),
  changes: fields.optional().describe("applied as an update in the sandbox (the trigger of record_updated / field_changed workflows)"),
};
export interface Setup {
  record_id?: string | undefined;
  record?: Record<string, unknown> | undefined;
  changes?: Record<string, unknown> | undefined;
}

export const testRunBodySchema = z
  .object({
    ...setupShape,
    version: z.number().int().min(1).optional().describe("the version to test; default: the draft, else the live version"),
    answers: answersSchema.optional(),
    mode: z.enum(MODES).optional().describe("to_end (default): waits pass at once; to_next_wait: stop at the first wait not answered"),
  })
  .strict();
export type TestRunBody = z.infer<typeof testRunBodySchema>;

const person = z.string().min(1).max(200);
export const MESSAGE_KINDS = ["email", "http", "chat", "webhook"] as const;
export const expectationsSchema = z
  .object({
    status: z.enum(["completed", "exited", "failed", "waiting", "cancelled", "running", "not_enrolled"]).optional(),
    path: z.array(z.string().min(1).max(64)).max(200).optional().describe("the exact list of step ids taken"),
    fields: fields.optional().describe("field → value on the record after the run"),
    owner: z.object({ user: person.optional(), team: person.optional() }).strict().optional(),
    messages: z
      .array(
        z
          .object({
            kind: z.enum(MESSAGE_KINDS),
            to: z.string().min(1).max(320).optional().describe('an address, or "record" (the record\'s own email)'),
            count: z.number().int().min(0).max(100).optional().describe("default 1"),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict();
export type Expectations = z.infer<typeof expectationsSchema>;

export const testCaseBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    ...setupShape,
    answers: answersSchema.optional(),
    expect: expectationsSchema,
  })
  .strict();
export type TestCaseBody = z.infer<typeof testCaseBodySchema>;
