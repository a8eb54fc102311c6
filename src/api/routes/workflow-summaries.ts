/**
 * The shapes of the workflows list and a workflow's page (issue 14, item 6), as Zod schemas for
 * the OpenAPI document (so the web app's client is typed) and the presenters that make them.
 */
import { z } from "@hono/zod-openapi";
import type { NamedActor, WorkflowSummary } from "../../app/workflows/workflow-overview.js";
import type { WorkflowRow, WorkflowVersionRow } from "../../store/workflow-ports.js";

export const actorSchema = z
  .object({
    kind: z.enum(["person", "integration", "workflow", "system"]),
    id: z.string(),
    name: z.string().meta({ description: "a person's name; what the actor is otherwise" }),
  })
  .openapi("NamedActor");

export const workflowSummarySchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    object: z.string(),
    live_version: z.number().nullable(),
    latest_version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    status: z.enum(["draft", "published", "archived"]),
    description: z.string().nullable().meta({ description: "why the workflow exists (its live version's, else its latest's)" }),
    runs_7d: z.number().meta({ description: "runs started in the last 7 days" }),
    failures_7d: z.number().meta({ description: "of those, the runs that failed" }),
    updated_by: actorSchema.nullable().meta({ description: "who made the latest change; null when not recorded (before migration 019)" }),
  })
  .openapi("WorkflowSummary");

export const workflowVersionSchema = z
  .object({
    version: z.number(),
    state: z.enum(["draft", "published", "archived"]),
    created_at: z.string(),
    published_at: z.string().nullable(),
    published_by: actorSchema.nullable(),
    note: z.string().nullable().meta({ description: "what changed and why, in its publisher's words; null when none was given" }),
    definition: z.unknown(),
  })
  .openapi("WorkflowVersion");

export const workflowPageSchema = workflowSummarySchema
  .extend({
    versions: z.array(workflowVersionSchema),
    deferred: z.object({ count: z.number(), next_start_at: z.string().nullable(), last_start_at: z.string().nullable() }),
  })
  .openapi("WorkflowPage");

/** A workflow as every workflow route shows it. */
export const presentWorkflow = (w: WorkflowRow) => ({
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
export const presentVersion = (v: WorkflowVersionRow) => ({
  version: v.version,
  state: v.state,
  created_at: v.createdAt,
  published_at: v.publishedAt,
  note: v.note ?? null,
  definition: v.definition,
});

/** The list's and page's summary: the workflow, and what a person reads about its health. */
export function presentSummary(s: WorkflowSummary) {
  return {
    ...presentWorkflow(s.workflow),
    status: s.status,
    description: s.description,
    runs_7d: s.runs7d,
    failures_7d: s.failures7d,
    updated_by: s.updatedBy,
  };
}

export function presentVersionWithAuthor(v: WorkflowVersionRow, publishedBy: NamedActor | null) {
  return { ...presentVersion(v), published_by: publishedBy };
}
