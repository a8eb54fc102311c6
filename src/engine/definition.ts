/**
 * The workflow definition format (JSON), validated with Zod. This is what admins author (and
 * what the builder will produce); `compile.ts` turns a parsed definition into a CompiledWorkflow
 * once per version. The JSON Schema of this format is served at /api/schema/workflow.json.
 */

import { z } from "zod";
import { OBJECT_NAMES } from "../crm/fields.js";
import { FILTER_OPERATORS } from "../crm/filter.js";
import { ROLES } from "../crm/objects.js";
import { REVIEW_KINDS } from "../crm/review-kinds.js";
import { JSON_POINTER } from "./json-pointer.js";

export const durationSchema = z
  .object({
    seconds: z.number().int().min(0).optional(),
    minutes: z.number().int().min(0).optional(),
    hours: z.number().int().min(0).optional(),
    days: z.number().int().min(0).optional(),
  })
  .strict()
  .describe("An absolute duration: a day is 86,400 seconds.");
export type Duration = z.infer<typeof durationSchema>;

/** Signed duration for "N before / after a date". */
export const offsetSchema = durationSchema
  .extend({ before: z.boolean().optional().describe("true = before the date (default after)") })
  .strict();
export type Offset = z.infer<typeof offsetSchema>;

/**
 * Which business calendar a wait or an SLA measures time on (docs/sla.md): a calendar by name,
 * or the calendar of the record's owner (theirs, else their team's, else the workspace's), of
 * the owner's team, or of the workspace (its default calendar; 24×7 in its zone when none).
 */
export const calendarRefSchema = z.union([
  z.object({ name: z.string().min(1).max(120).describe("a calendar of the workspace, by name") }).strict(),
  z.object({ of: z.enum(["owner", "team", "workspace"]).describe("whose calendar") }).strict(),
]);
export type CalendarRef = z.infer<typeof calendarRefSchema>;

/**
 * The record filter operators, plus those about the triggering change and relative dates, and
 * `is_new` (the write creates the record: no field) — which, like a `$previous.<field>` path
 * (the value before the write), only validation rules may use (docs/data-quality.md).
 */
export const CONDITION_OPERATORS = [
  ...FILTER_OPERATORS,
  "changed",
  "changed_from",
  "changed_to",
  "within_last_days",
  "within_next_days",
  "is_new",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * A condition on the record (`score`), on a record it references (`company_id.industry`), or a
 * count of related records (`count` — e.g. the company's open tickets), or on the triggering
 * change (`changed`, `changed_from`, `changed_to`).
 */
export const leafConditionSchema = z
  .object({
    field: z.string().min(1).optional(),
    count: z
      .object({
        object: z.enum(OBJECT_NAMES),
        via: z.string().min(1).describe("field of the counted records that points at the subject"),
        of: z.string().min(1).optional().describe("reference field of this record that is the subject; default the record itself"),
        where: z.lazy((): z.ZodType => conditionSchema).optional(),
      })
      .strict()
      .optional(),
    review_items: z
      .object({
        kinds: z.array(z.enum(REVIEW_KINDS)).min(1).optional().describe("which problems; default any"),
      })
      .strict()
      .optional()
      .describe("the number of OPEN items about the record in the data review queue (either side of a duplicate pair)"),
    op: z.enum(CONDITION_OPERATORS),
    value: z.unknown().optional(),
  })
  .strict();

export type LeafCondition = {
  field?: string | undefined;
  count?: { object: (typeof OBJECT_NAMES)[number]; via: string; of?: string | undefined; where?: Condition | undefined } | undefined;
  review_items?: { kinds?: Array<(typeof REVIEW_KINDS)[number]> | undefined } | undefined;
  op: ConditionOperator;
  value?: unknown;
};
export type Condition = { and: Condition[] } | { or: Condition[] } | { not: Condition } | LeafCondition;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(conditionSchema).min(1) }).strict(),
    z.object({ or: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    leafConditionSchema,
  ]),
) as z.ZodType<Condition>;

const stepId = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "step ids are lower-case letters, digits, - and _");

/** Who a task, an assignment or a notification goes to. */
export const personSchema = z.union([
  z.object({ user_id: z.string().min(1) }).strict(),
  z.object({ field: z.string().min(1).describe("a user reference on the record, e.g. owner_id") }).strict(),
  z.object({ manager_of: z.string().min(1).describe("the manager of the user in this field") }).strict(),
  z.object({ team_lead_of: z.string().min(1).describe("the lead of the team of the user in this field") }).strict(),
  z.object({ on_call_of: z.string().min(1).describe("who is on call now in the team of the user in this field") }).strict(),
]);
export type PersonSpec = z.infer<typeof personSchema>;

/**
 * Who approves (docs/approvals.md): a user, the manager or team lead of the user in a field of
 * the record, the lead of a team, every active user of a role, or the members of a queue. Who it
 * is in fact is looked up when the request opens; the submitter is never among them.
 */
export const approverSchema = z.union([
  z.object({ user_id: z.string().min(1) }).strict(),
  z.object({ manager_of: z.string().min(1).describe("the manager of the user in this field, e.g. owner_id") }).strict(),
  z.object({ team_lead_of: z.string().min(1).describe("the lead of the team of the user in this field") }).strict(),
  z.object({ team_lead: z.string().min(1).describe("the lead of this team (its id)") }).strict(),
  z.object({ role: z.enum(ROLES).describe("every active user with this role") }).strict(),
  z.object({ queue: z.string().min(1).describe("the members of this queue (name or id)") }).strict(),
]);
export type ApproverSpec = z.infer<typeof approverSchema>;

/** How many of a level's approvers must approve: any one, all, or a number of them. */
export const approvalRequireSchema = z.union([z.enum(["any", "all"]), z.number().int().min(1).max(50)]);
export type ApprovalRequire = z.infer<typeof approvalRequireSchema>;

export const approvalLevelSchema = z
  .object({
    name: z.string().min(1).max(120).optional().describe("shown to approvers, e.g. VP Sales"),
    approvers: z.array(approverSchema).max(20),
    require: approvalRequireSchema.default("any").describe('"any" (one of them), "all", or N of them'),
  })
  .strict();
export type ApprovalLevel = z.infer<typeof approvalLevelSchema>;

/** One route of an approval step: the first whose `when` holds decides who approves. */
export const approvalRouteSchema = z
  .object({
    label: z.string().min(1).max(120).optional(),
    when: z
      .lazy((): z.ZodType<Condition> => conditionSchema)
      .optional()
      .describe("none on the last route: it is the default"),
    levels: z.array(approvalLevelSchema).max(10).optional().describe("in sequence; each must approve before the next is asked"),
    auto: z.enum(["approve", "reject"]).optional().describe("decided at once, without asking anyone"),
    notify: personSchema.optional().describe("told of an automatic decision, e.g. the owner's manager"),
  })
  .strict();
export type ApprovalRoute = z.infer<typeof approvalRouteSchema>;

export const approvalTimeoutSchema = z
  .object({
    after: durationSchema.optional().describe("absolute time"),
    business: z
      .object({
        hours: z.number().int().min(0).max(10_000).optional(),
        days: z.number().int().min(0).max(1_000).optional(),
        calendar: z
          .lazy(() => calendarRefSchema)
          .optional()
          .describe("default: the workspace's calendar"),
      })
      .strict()
      .optional()
      .describe("business time on a calendar"),
    // biome-ignore lint/suspicious/noThenProperty: the format's word ("then escalate"); a parsed timeout is never awaited
    then: z.enum(["escalate", "approve", "reject", "path"]).describe("what a request still pending then does"),
    escalate_to: z.array(approverSchema).max(10).optional().describe("with then = escalate: who may then decide alone"),
    escalations: z.number().int().min(1).max(5).default(1).describe("with then = escalate: how many times before on_timeout"),
  })
  .strict();
export type ApprovalTimeout = z.infer<typeof approvalTimeoutSchema>;

const fieldValues = z.record(z.string(), z.unknown()).describe("field → value; strings may be Liquid templates over {{ record.* }}");

export const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("update_fields"), fields: fieldValues }).strict(),
  z
    .object({
      type: z.literal("create_task"),
      subject: z.string().min(1),
      description: z.string().optional(),
      due_in: durationSchema.optional(),
      priority: z.enum(["P1", "P2", "P3", "P4"]).default("P3"),
      owner: personSchema.optional().describe("default: the record's owner"),
    })
    .strict(),
  z
    .object({
      type: z.literal("create_record"),
      object: z.enum(OBJECT_NAMES),
      fields: fieldValues.default({}),
      copy: z.record(z.string(), z.string()).default({}).describe("new record's field → this record's field"),
      link_field: z.string().optional().describe("field of the new record that points back at this record"),
    })
    .strict(),
  z
    .object({
      type: z.literal("assign_owner"),
      field: z.string().default("owner_id"),
      to: z.union([
        personSchema,
        z.object({ round_robin_team: z.string().min(1).describe("team id; rotates over its active members") }).strict(),
        z.object({ company_owner: z.literal(true) }).strict(),
        z.object({ queue: z.string().min(1).describe("queue name or id; its strategy, availability and fallback decide") }).strict(),
        z.object({ rule_set: z.string().min(1).describe("assignment rule set name or id; first matching rule wins") }).strict(),
      ]),
      exclude_current: z.boolean().default(false).describe("never hand the record back to its current owner"),
    })
    .strict(),
  z
    .object({
      type: z.literal("add_activity"),
      activity_type: z.enum(["note", "call", "email", "meeting"]).default("note"),
      subject: z.string().min(1),
      body: z.string().optional(),
    })
    .strict(),
  z.object({ type: z.literal("change_score"), field: z.string().default("score"), by: z.number().int() }).strict(),
  z.object({ type: z.literal("enroll"), workflow: z.string().min(1).describe("key of the workflow to start for this record") }).strict(),
  z.object({ type: z.literal("unenroll"), workflow: z.string().min(1) }).strict(),
  z.object({ type: z.literal("notify"), to: personSchema, message: z.string().min(1) }).strict(),
  z
    .object({
      type: z.literal("add_to_review_queue"),
      reason: z.string().min(1).max(500).describe("why a person should look at the record: Liquid over {{ record.* }}"),
      assign_to: personSchema.optional().describe("who works the item; default nobody (anyone takes it)"),
    })
    .strict()
    .describe("puts the record in the data review queue (docs/data-quality.md), once while the same reason is open"),
  z
    .object({
      type: z.literal("merge_records"),
      into: z
        .union([
          z
            .object({
              best_duplicate: z.literal(true),
              min_score: z
                .number()
                .min(0)
                .max(1)
                .optional()
                .describe("only a pair scored at least this (0–1) by its match rule; default any open pair"),
            })
            .strict(),
          z
            .object({
              record_id: z
                .string()
                .min(1)
                .max(500)
                .describe("the id of the record that stays: Liquid over {{ record.* }}, e.g. {{ record.master_id }}"),
            })
            .strict(),
        ])
        .default({ best_duplicate: true })
        .describe("what the record is merged into: its best open suspected duplicate, or a record named by id"),
    })
    .strict()
    .describe(
      'merges the run\'s record into another record of its object through the merge service (docs/data-quality.md, "Merge"): the other record stays, its values win, its empty fields are filled from this one',
    ),
  z
    .object({
      type: z.literal("send_chat"),
      connector: z.string().min(1).default("chat").describe("key of the workspace's chat connector (its incoming-webhook URL)"),
      text: z.string().min(1).max(4000).describe("the message: Liquid over {{ record.* }}; record values are data, never markup"),
    })
    .strict(),
  z
    .object({
      type: z.literal("send_email"),
      connector: z.string().min(1).default("email").describe("key of the workspace's SMTP connector"),
      to: z.union([personSchema, z.object({ record_email: z.literal(true) }).strict()]),
      subject: z.string().min(1).describe("Liquid over {{ record.* }}, {{ owner.* }} and {{ company.* }}"),
      html: z.string().min(1).optional().describe("HTML body (Liquid; record values are HTML-escaped)"),
      text: z.string().min(1).optional().describe("plain-text body (Liquid); at least one of html and text"),
      reply_to_owner: z.boolean().default(false).describe("sent in the name of the record's owner, replies go to the owner"),
    })
    .strict(),
  z
    .object({
      type: z.literal("http_request"),
      connector: z.string().min(1),
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
      path: z.string().default("").describe("appended to the connector's base_url; may be a Liquid template"),
      headers: z.record(z.string(), z.string()).optional().describe("extra request headers; values may be Liquid templates"),
      body: z.unknown().optional().describe("a string, or JSON whose strings may be Liquid templates"),
      map_response: z
        .record(z.string(), z.string().regex(JSON_POINTER, "a JSON pointer such as /company/industry"))
        .optional()
        .describe("record field → JSON pointer into the response body, written when the call succeeds"),
      only_if_empty: z.boolean().default(false).describe("map_response fills only fields that are empty on the record"),
    })
    .strict(),
]);
export type ActionSpec = z.infer<typeof actionSchema>;
export const EXTERNAL_ACTIONS = ["send_email", "http_request", "send_chat"] as const;

const description = z.string().max(2000).optional().describe("why this step exists");

export const stepSchema = z.discriminatedUnion("type", [
  z
    .object({ type: z.literal("action"), description, action: actionSchema, next: stepId.optional(), on_failure: stepId.optional() })
    .strict(),
  z
    .object({
      type: z.literal("branch"),
      description,
      rules: z.array(z.object({ when: conditionSchema, next: stepId, label: z.string().optional() }).strict()).min(1),
      else: stepId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("switch"),
      description,
      field: z.string().min(1),
      cases: z.record(z.string(), stepId),
      default: stepId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("delay"),
      description,
      duration: durationSchema.optional(),
      until_field: z
        .object({ field: z.string().min(1), offset: offsetSchema.optional() })
        .strict()
        .optional(),
      until_time: z
        .object({
          time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM"),
          days: z
            .array(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
            .min(1)
            .optional(),
          time_zone: z.string().optional().describe("IANA zone; default the workspace's"),
        })
        .strict()
        .optional(),
      business: z
        .object({
          hours: z.number().int().min(0).max(10_000).optional(),
          minutes: z.number().int().min(0).max(600_000).optional(),
          days: z.number().int().min(0).max(1_000).optional().describe("business days: the same time of day on the N-th open date"),
          calendar: calendarRefSchema.optional().describe("default: the workspace's calendar"),
        })
        .strict()
        .optional()
        .describe("wait for business time on a calendar: hours and minutes of open time, or business days"),
      until_opening: z
        .object({ calendar: calendarRefSchema.optional().describe("default: the workspace's calendar") })
        .strict()
        .optional()
        .describe("wait until the calendar is open (no wait when it is open already)"),
      next: stepId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("wait_for"),
      description,
      event: z
        .object({
          object: z.enum(OBJECT_NAMES),
          kind: z.enum(["created", "updated"]).default("created"),
          link: z.string().min(1).describe("field of the awaited record that points at this record, e.g. related_id"),
          where: conditionSchema.optional(),
        })
        .strict()
        .optional(),
      condition: conditionSchema.optional(),
      timeout: durationSchema,
      next: stepId.optional(),
      on_timeout: stepId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("approval"),
      description,
      summary: z.string().min(1).max(500).describe("what is being approved: Liquid over {{ record.* }}"),
      fields: z.array(z.string().min(1)).max(20).default([]).describe("the fields at stake, shown to approvers and locked"),
      lock: z.enum(["fields", "record", "none"]).default("fields").describe("what is locked while the request is pending"),
      submitter: personSchema.default({ field: "owner_id" }).describe("who asks; never an approver of their own request"),
      routes: z.array(approvalRouteSchema).min(1).max(20),
      timeout: approvalTimeoutSchema
        .optional()
        .describe(
          "bounds a pending request, and also a request sent back: the same time, counted again from the send-back; not resubmitted by then, the request times out and the run takes on_timeout, or on_rejected without one",
        ),
      max_rounds: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(5)
        .describe(
          "how many rounds a request may have: the first, and one for each resubmission after a send-back; a send-back in the last round rejects the request (on_rejected)",
        ),
      on_approved: stepId.optional(),
      on_rejected: stepId.optional(),
      on_timeout: stepId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("classify"),
      description,
      model: z.string().trim().min(1).max(120).describe("the AI model that predicts the field, by name (docs/ai.md)"),
      field: z.string().min(1).max(64).describe("the field the prediction is written to: the model's target"),
      next: stepId.optional(),
      low_confidence: stepId
        .optional()
        .describe("where a prediction less confident than the model's threshold goes, unwritten (a human triage queue); default next"),
    })
    .strict(),
  z.object({ type: z.literal("end"), description }).strict(),
]);
export type StepSpec = z.infer<typeof stepSchema>;

/** What an `email_engaged` trigger can name: the first open of an email, the first click of one of its links. */
export const EMAIL_ENGAGEMENTS = ["opened", "clicked"] as const;

/** The milestones of an SLA clock a `sla` trigger can name. */
export const SLA_MILESTONES = ["warning", "breach", "escalation"] as const;

export const triggerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("record_created"), filter: conditionSchema.optional() }).strict(),
  z
    .object({
      type: z.literal("record_updated"),
      fields: z.array(z.string()).optional().describe("watched fields; default any"),
      filter: conditionSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal("record_deleted") }).strict(),
  z
    .object({ type: z.literal("record_merged") })
    .strict()
    .describe("another record was merged into this one (the survivor)"),
  z
    .object({ type: z.literal("field_changed"), field: z.string().min(1), from: z.unknown().optional(), to: z.unknown().optional() })
    .strict(),
  z
    .object({
      type: z.literal("relative_date"),
      field: z.string().min(1),
      offset: offsetSchema,
      at: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .optional(),
    })
    .strict(),
  z.object({ type: z.literal("inactivity"), days: z.number().int().min(1), field: z.string().default("last_activity_at") }).strict(),
  z
    .object({
      type: z.literal("score_threshold"),
      field: z.string().default("score"),
      threshold: z.number(),
      direction: z.enum(["up", "down"]).default("up"),
    })
    .strict(),
  z.object({ type: z.literal("external"), key: z.string().min(1) }).strict(),
  z.object({ type: z.literal("manual") }).strict(),
  z
    .object({
      type: z.literal("review_queued"),
      kinds: z
        .array(z.enum(REVIEW_KINDS))
        .min(1)
        .optional()
        .describe("which problems: duplicate, rule, format, required, manual; default any"),
    })
    .strict()
    .describe("the record entered the data review queue (docs/data-quality.md)"),
  z
    .object({
      type: z.literal("schedule"),
      cron: z.string().min(1),
      time_zone: z.string().default("UTC"),
      filter: conditionSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("sla"),
      policy: z.string().min(1).max(120).describe("the SLA policy's name (docs/sla.md)"),
      milestones: z
        .array(z.enum(SLA_MILESTONES))
        .min(1)
        .max(3)
        .describe("which milestones of the policy's clocks: warning, breach, escalation"),
      level: z.number().int().min(1).max(11).optional().describe("only this level: 1 = the breach, 2… the escalation levels"),
    })
    .strict(),
  z
    .object({
      type: z.literal("email_engaged"),
      on: z
        .array(z.enum(EMAIL_ENGAGEMENTS))
        .min(1)
        .max(2)
        .default(["opened"])
        .describe("opened (the first open of an email), clicked (the first click of each of its links); default opened"),
    })
    .strict()
    .describe("the record's person opened an email a workflow sent them, or clicked a link in it (tracking on; docs/scoring.md)"),
]);
export type TriggerSpec = z.infer<typeof triggerSchema>;

/** Quotas of a workflow's external actions (engineering.md §3.10), per clock hour (UTC). */
export const DEFAULT_LIMITS = { emails_per_hour: 1_000, calls_per_hour: 10_000 } as const;
const limitsSchema = z
  .object({
    emails_per_hour: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe(`send_email actions per clock hour; beyond it the action fails (default ${DEFAULT_LIMITS.emails_per_hour})`),
    calls_per_hour: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe(`http_request and send_chat actions per clock hour (default ${DEFAULT_LIMITS.calls_per_hour})`),
  })
  .strict();

export const workflowSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "lower-case letters, digits and -"),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional().describe("why this workflow exists"),
    object: z.enum(OBJECT_NAMES),
    trigger: triggerSchema,
    conditions: conditionSchema.optional().describe("enrollment conditions"),
    goal: conditionSchema.optional().describe("when met, the record leaves the workflow"),
    reenrollment: z.boolean().default(false).describe("may a record enroll again after its run ended"),
    allow_self_trigger: z.boolean().default(false).describe("may this workflow's own writes trigger it again"),
    limits: limitsSchema.optional().describe("quotas of the workflow's emails and calls to other systems"),
    start: stepId,
    steps: z.record(stepId, stepSchema),
  })
  .strict();
export type WorkflowDefinition = z.infer<typeof workflowSchema>;
export type WorkflowInput = z.input<typeof workflowSchema>;

export function workflowJsonSchema(): unknown {
  return z.toJSONSchema(workflowSchema, { io: "input", unrepresentable: "any" });
}
