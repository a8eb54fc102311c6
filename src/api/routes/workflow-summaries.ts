/**
 * The shapes of workflows on the wire — a workflow with its versions (save, publish, archive), the
 * workflows list and a workflow's page (issue 14, item 6), a definition's problems — as Zod schemas
 * for the OpenAPI document (so the web app's client is typed) and the presenters that make them,
 * each typed by its schema's `z.infer`.
 */
import { z } from "@hono/zod-openapi";
import type { NamedActor, WorkflowSummary } from "../../app/workflows/workflow-overview.js";
import type { Issue } from "../../crm/issues.js";
import type { WorkflowRow, WorkflowVersionRow } from "../../store/workflow-ports.js";
import { conflictAcknowledgementSchema, presentAcknowledgement } from "./conflict-schemas.js";

export const actorSchema = z
  .object({
    kind: z.enum(["person", "integration", "workflow", "system"]),
    id: z.string(),
    name: z.string().meta({ description: "a person's name; what the actor is otherwise" }),
  })
  .openapi("NamedActor");

export const workflowSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    object: z.string(),
    live_version: z.number().nullable(),
    latest_version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Workflow");

export const workflowSummarySchema = workflowSchema
  .extend({
    status: z.enum(["draft", "published", "archived"]),
    description: z.string().nullable().meta({ description: "why the workflow exists (its live version's, else its latest's)" }),
    runs_7d: z.number().meta({ description: "runs started in the last 7 days" }),
    failures_7d: z.number().meta({ description: "of those, the runs that failed" }),
    updated_by: z
      .union([actorSchema, z.null()])
      .meta({ description: "who made the latest change; null when not recorded (before migration 019)" }),
    review: z
      .object({
        owner: z.object({ id: z.string(), name: z.string() }).nullable(),
        interval_months: z.number(),
        next_review_at: z.string(),
        due_in_days: z.number().meta({ description: "negative: overdue by that many days" }),
        overdue: z.boolean(),
      })
      .nullable()
      .meta({ description: "its review (issue 19): owner, interval, next date; null when not live" }),
    overrides_30d: z.number().meta({ description: "people's overrides of what it set, in the last 30 days" }),
  })
  .openapi("WorkflowSummary");

export const versionSchema = z
  .object({
    version: z.number(),
    state: z.enum(["draft", "published", "archived"]),
    created_at: z.string(),
    published_at: z.string().nullable(),
    note: z.string().nullable().meta({ description: "what changed and why, in its publisher's words; null when none was given" }),
    conflicts_acknowledged: z
      .union([conflictAcknowledgementSchema, z.null()])
      .meta({ description: "the conflict warnings acknowledged to publish it, who and when; null when there were none" }),
    definition: z.unknown().meta({ description: "the workflow definition (GET /api/schema/workflow.json)" }),
  })
  .openapi("Version");

export const workflowVersionSchema = versionSchema.extend({ published_by: z.union([actorSchema, z.null()]) }).openapi("WorkflowVersion");

/** A workflow and all its versions: what saving a draft, publishing and archiving answer. */
export const workflowWithVersionsSchema = workflowSchema.extend({ versions: z.array(versionSchema) }).openapi("WorkflowWithVersions");

/** One problem of a definition (POST /workflows/validate). */
export const validationProblemSchema = z
  .object({
    path: z.string().meta({ description: "dotted path into the definition: steps.call.next" }),
    code: z.enum([
      "unknown_field",
      "managed_field",
      "required",
      "invalid_type",
      "invalid_value",
      "not_in_options",
      "too_small",
      "too_big",
      "too_long",
      "not_found",
      "invalid_reference",
      "locked",
      "rule",
    ] satisfies Issue["code"][]),
    message: z.string(),
    expected: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .meta({ description: "what would have been accepted, when that helps" }),
  })
  .openapi("ValidationProblem");

export const presentIssue = (i: Issue): z.infer<typeof validationProblemSchema> => ({
  path: i.path.join("."),
  code: i.code,
  message: i.message,
  ...(i.expected ? { expected: typeof i.expected === "string" ? i.expected : [...i.expected] } : {}),
});

export const workflowPageSchema = workflowSummarySchema
  .extend({
    versions: z.array(workflowVersionSchema),
    deferred: z.object({ count: z.number(), next_start_at: z.string().nullable(), last_start_at: z.string().nullable() }),
  })
  .openapi("WorkflowPage");

/** A workflow as every workflow route shows it. */
export const presentWorkflow = (w: WorkflowRow): z.infer<typeof workflowSchema> => ({
  id: w.id,
  key: w.key,
  name: w.name,
  object: w.object,
  live_version: w.liveVersion,
  latest_version: w.latestVersion,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

/** A version as every workflow route shows it. */
export const presentVersion = (v: WorkflowVersionRow): z.infer<typeof versionSchema> => ({
  version: v.version,
  state: v.state,
  created_at: v.createdAt,
  published_at: v.publishedAt,
  note: v.note ?? null,
  conflicts_acknowledged: presentAcknowledgement(v.conflictsAcknowledged),
  definition: v.definition,
});

/** The list's and page's summary: the workflow, and what a person reads about its health. */
/** What the reviews add beside a workflow (routes/review-schemas.ts presents it). */
export interface ReviewBeside {
  review: z.infer<typeof workflowSummarySchema>["review"];
  overrides: number;
}

export function presentSummary(
  s: WorkflowSummary,
  beside: ReviewBeside = { review: null, overrides: 0 },
): z.infer<typeof workflowSummarySchema> {
  return {
    ...presentWorkflow(s.workflow),
    status: s.status,
    description: s.description,
    runs_7d: s.runs7d,
    failures_7d: s.failures7d,
    updated_by: s.updatedBy,
    review: beside.review,
    overrides_30d: beside.overrides,
  };
}

export function presentVersionWithAuthor(v: WorkflowVersionRow, publishedBy: NamedActor | null): z.infer<typeof workflowVersionSchema> {
  return { ...presentVersion(v), published_by: publishedBy };
}

export function presentWithVersions(view: {
  workflow: WorkflowRow;
  versions: readonly WorkflowVersionRow[];
}): z.infer<typeof workflowWithVersionsSchema> {
  return { ...presentWorkflow(view.workflow), versions: view.versions.map(presentVersion) };
}
