/** Workflows, versions, runs, the execution log and record timelines (notifications: notifications.ts). */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../app/errors.js";
import { actorNames } from "../../app/records/actor-names.js";
import { waitViewsOf } from "../../app/workflows/wait-view.js";
import { namedOrNull } from "../../app/workflows/workflow-overview.js";
import { NOTE_MAX } from "../../app/workflows/workflow-service.js";
import type { Services } from "../../composition/root.js";
import { isObjectName } from "../../crm/fields.js";
import { objectByPlural } from "../../crm/objects.js";
import { workflowJsonSchema } from "../../engine/definition.js";
import type { StepState } from "../../store/workflow-ports.js";
import type { ApiEnv } from "../env.js";
import { problemJson } from "../openapi/doc.js";
import { presentRecord } from "../present.js";
import { instantParam, intParam, jsonBody } from "../request.js";
import { acknowledgeConflictsSchema, conflictWarningSchema, presentConflict } from "./conflict-schemas.js";
import { presentReviewStatus } from "./review-schemas.js";
import {
  presentLogEntry,
  presentRun,
  presentRunDelivery,
  presentStep,
  presentWait,
  runDetailSchema,
  runListItemSchema,
  runSchema,
  workflowLogEntrySchema,
} from "./run-schemas.js";
import { presentTimeline, timelineSchema } from "./timeline-schemas.js";
import {
  presentIssue,
  presentSummary,
  presentVersionWithAuthor,
  presentWithVersions,
  presentWorkflow,
  validationProblemSchema,
  workflowPageSchema,
  workflowSummarySchema,
  workflowWithVersionsSchema,
} from "./workflow-summaries.js";

function definitionOf(body: unknown): unknown {
  const b = body as { definition?: unknown };
  if (typeof b !== "object" || b === null || b.definition === undefined) {
    throw new AppError("bad_request", 'expected {"definition": { … }}', [
      { path: ["definition"], code: "required", message: "the workflow definition" },
    ]);
  }
  return b.definition;
}

const STEP_STATES = ["passed", "waiting", "failed"] as const;

/** `step_state` of the runs list: one of STEP_STATES, and only with `step`; else a 400 naming it. */
function stepStateParam(raw: string | undefined, step: string | undefined): StepState | undefined {
  if (raw === undefined) return undefined;
  if (!(STEP_STATES as readonly string[]).includes(raw))
    throw new AppError("bad_request", `step_state must be one of ${STEP_STATES.join(", ")}`, [
      { path: ["step_state"], code: "invalid_value", message: `expected ${STEP_STATES.join(" | ")}, got "${raw}"` },
    ]);
  if (!step)
    throw new AppError("bad_request", "step_state needs step: the step whose runs to list", [
      { path: ["step"], code: "required", message: "the step id step_state applies to" },
    ]);
  return raw as StepState;
}

/**
 * A publish's change note, checked at the edge: text (its NUL and lone surrogates were refused
 * with the body) of at most NOTE_MAX characters; absent or null means none.
 */
function publishNote(note: unknown): string | undefined {
  if (note === undefined || note === null) return undefined;
  if (typeof note !== "string") {
    throw new AppError("bad_request", "note is text: what changed and why", [
      { path: ["note"], code: "invalid_type", message: "expected text", expected: "string" },
    ]);
  }
  if (note.length > NOTE_MAX) {
    throw new AppError("bad_request", `note is at most ${NOTE_MAX} characters`, [
      { path: ["note"], code: "too_big", message: `at most ${NOTE_MAX} characters (this one has ${note.length})` },
    ]);
  }
  return note;
}

/** `acknowledge_conflicts`, checked at the edge: true, or a list of warning ids (strings). */
function acknowledgeConflicts(raw: unknown): true | string[] | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  const parsed = acknowledgeConflictsSchema.safeParse(raw);
  if (parsed.success) return parsed.data === true ? true : [...parsed.data];
  throw new AppError("bad_request", "acknowledge_conflicts is true or a list of warning ids (from /publish-preview)", [
    {
      path: ["acknowledge_conflicts"],
      code: "invalid_type",
      message: "true, or at most 200 warning ids of 1–64 characters",
      expected: ["true", "string[]"],
    },
  ]);
}

export function workflowRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Workflows"];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const definition = z.unknown().meta({ description: "a workflow definition (GET /api/schema/workflow.json)" });
  const wf = services.workflows;
  const idParam = z.object({ id: z.string() });

  reg.registerPath({
    method: "get",
    path: "/api/schema/workflow.json",
    tags,
    summary: "The JSON Schema of the workflow definition format (public; for editors and the builder)",
    responses: { 200: { description: "JSON Schema (draft 2020-12)", ...json(z.record(z.string(), z.unknown())) } },
  });
  app.get("/api/schema/workflow.json", (c) => c.json(workflowJsonSchema() as Record<string, unknown>));

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows",
    tags,
    security,
    summary:
      "Workflows of the workspace: status, description, runs and failures in the last 7 days, who changed each last, its review and its overrides in the last 30 days",
    request: {
      query: z.object({ review: z.enum(["overdue"]).optional().describe("overdue: only the live workflows whose review date has passed") }),
    },
    responses: {
      200: { description: "Workflows", ...json(z.object({ data: z.array(workflowSummarySchema) })) },
      400: problemJson("A review filter other than overdue"),
    },
  });
  app.get("/api/v1/workflows", async (c) => {
    const call = c.get("call");
    const review = c.req.query("review");
    if (review !== undefined && review !== "overdue")
      throw new AppError("bad_request", "review filters by overdue only", [
        { path: ["review"], code: "invalid_value", message: `expected overdue, got "${review}"` },
      ]);
    const [summaries, reviews] = await Promise.all([services.workflowOverview.list(call), services.reviews.list(call)]);
    const beside = new Map(reviews.map((r) => [r.workflow.id, { review: presentReviewStatus(r), overrides: r.overrides }]));
    const shown = review === "overdue" ? summaries.filter((s) => beside.get(s.workflow.id)?.review.overdue) : summaries;
    return c.json({ data: shown.map((s) => presentSummary(s, beside.get(s.workflow.id))) });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows",
    tags,
    security,
    summary: "Save a definition as its workflow's draft (created on first save)",
    request: {
      body: json(
        z.object({
          definition,
          create: z
            .boolean()
            .optional()
            .describe("the key must be new: 409 naming definition.key when a workflow has it (never replaces another's draft)"),
        }),
      ),
    },
    responses: {
      201: { description: "Saved", ...json(workflowWithVersionsSchema) },
      409: { description: "create: the key is taken" },
      422: { description: "Malformed" },
    },
  });
  app.post("/api/v1/workflows", async (c) => {
    const body = await jsonBody(c);
    const create = (body as { create?: unknown } | null)?.create;
    if (create !== undefined && typeof create !== "boolean") {
      throw new AppError("bad_request", "create is true or false", [
        { path: ["create"], code: "invalid_type", message: "true or false", expected: "boolean" },
      ]);
    }
    const view = await wf.saveDraft(c.get("call"), definitionOf(body), { create: create === true });
    return c.json(presentWithVersions(view), 201);
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/validate",
    tags,
    security,
    summary: "Every problem of a definition, by path (empty = publishable)",
    request: { body: json(z.object({ definition })) },
    responses: { 200: { description: "Problems", ...json(z.object({ valid: z.boolean(), errors: z.array(validationProblemSchema) })) } },
  });
  app.post("/api/v1/workflows/validate", async (c) => {
    const issues = await wf.validate(c.get("call"), definitionOf(await jsonBody(c)));
    return c.json({
      valid: issues.length === 0,
      errors: issues.map(presentIssue),
    });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}",
    tags,
    security,
    summary:
      "A workflow (by id or key) with its status, description, 7-day counts, its versions (who published each) and its deferred enrolments (over the rate cap, not started yet)",
    request: { params: idParam },
    responses: { 200: { description: "Workflow", ...json(workflowPageSchema) } },
  });
  app.get("/api/v1/workflows/:id", async (c) => {
    const call = c.get("call");
    const view = await wf.get(call, c.req.param("id"));
    const deferred = await wf.deferred(call, view.workflow.id);
    const [summary] = await services.workflowOverview.summarise(call, [view.workflow]);
    const reviewed = await services.reviews.detail(call, view.workflow.id);
    const beside = { review: reviewed.status ? presentReviewStatus(reviewed.status) : null, overrides: reviewed.overrides.count };
    const names = await services.workflowOverview.names(
      call,
      view.versions.map((v) => v.publishedBy ?? null),
    );
    return c.json({
      ...(summary ? presentSummary(summary, beside) : presentWorkflow(view.workflow)),
      versions: view.versions.map((v) => presentVersionWithAuthor(v, namedOrNull(v.publishedBy ?? null, names))),
      // Enrolments over the rate cap, queued to start in order at the capped rate.
      deferred: { count: deferred.count, next_start_at: deferred.nextAt, last_start_at: deferred.lastAt },
    });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/publish",
    tags,
    security,
    summary: "Validate the whole graph and publish the draft (immutable); runs stay on their version",
    request: {
      params: idParam,
      body: json(
        z.object({
          backfill: z
            .boolean()
            .optional()
            .describe(
              "relative_date and inactivity: also enroll the records already past their instant, paced by the rate cap (see /publish-preview for how many)",
            ),
          note: z
            .string()
            .max(NOTE_MAX)
            .optional()
            .describe(`what changed and why, kept with the version and shown in its history (at most ${NOTE_MAX} characters)`),
          acknowledge_conflicts: acknowledgeConflictsSchema.optional(),
        }),
      ),
    },
    responses: {
      200: {
        description: "Published; `backfilled` counts the records enrolled by backfill",
        ...json(workflowWithVersionsSchema.extend({ backfilled: z.number() })),
      },
      409: {
        description:
          "Conflict warnings not acknowledged, or an acknowledgement naming other warnings than the current ones: each warning in `errors` (path acknowledge_conflicts, its id and sentence; `expected` the current ids)",
      },
      422: { description: "Every problem by path" },
    },
  });
  app.post("/api/v1/workflows/:id/publish", async (c) => {
    // The body is optional: no body (or {}) publishes without backfill.
    const body = (c.req.header("content-type") ? await jsonBody(c) : {}) as {
      backfill?: unknown;
      note?: unknown;
      acknowledge_conflicts?: unknown;
    } | null;
    const backfill = body?.backfill;
    if (backfill !== undefined && typeof backfill !== "boolean") {
      throw new AppError("bad_request", "backfill is true or false", [
        { path: ["backfill"], code: "invalid_type", message: "true or false", expected: "boolean" },
      ]);
    }
    const note = publishNote(body?.note);
    const ack = acknowledgeConflicts(body?.acknowledge_conflicts);
    const view = await wf.publish(c.get("call"), c.req.param("id"), {
      backfill: backfill === true,
      ...(note !== undefined ? { note } : {}),
      ...(ack !== undefined ? { acknowledgeConflicts: ack } : {}),
    });
    return c.json({ ...presentWithVersions(view), backfilled: view.backfilled });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}/publish-preview",
    tags,
    security,
    summary:
      "What publishing the draft would do: how many records a backfill would enroll, and the conflicts with live workflows to acknowledge (nothing is published)",
    request: { params: idParam },
    responses: {
      200: {
        description: "Preview",
        ...json(
          z.object({
            version: z.number(),
            trigger: z.string(),
            backfill: z.number().nullable(),
            conflicts: z.array(conflictWarningSchema).meta({ description: "acknowledge these to publish (acknowledge_conflicts)" }),
          }),
        ),
      },
      422: { description: "Every problem by path" },
    },
  });
  app.get("/api/v1/workflows/:id/publish-preview", async (c) => {
    const preview = await wf.publishPreview(c.get("call"), c.req.param("id"));
    return c.json({ ...preview, conflicts: preview.conflicts.map(presentConflict) });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/archive",
    tags,
    security,
    summary: "Stop new enrollments (running runs finish)",
    request: { params: idParam },
    responses: { 200: { description: "Archived", ...json(workflowWithVersionsSchema) } },
  });
  app.post("/api/v1/workflows/:id/archive", async (c) => {
    const view = await wf.archive(c.get("call"), c.req.param("id"));
    return c.json(presentWithVersions(view));
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/enroll",
    tags,
    security,
    summary: "Run the live version for records (manual trigger); re-enrollment rules hold unless force",
    request: {
      params: idParam,
      body: json(
        z.object({
          record_ids: z.array(z.string()),
          force: z
            .boolean()
            .optional()
            .describe("enroll records that already went through a workflow with reenrollment off (admins, managers; audited in its log)"),
        }),
      ),
    },
    responses: {
      201: {
        description: "Runs started, and the records skipped with why",
        ...json(z.object({ data: z.array(runSchema), skipped: z.array(z.object({ record_id: z.string(), reason: z.string() })) })),
      },
    },
  });
  app.post("/api/v1/workflows/:id/enroll", async (c) => {
    const body = (await jsonBody(c)) as { record_ids?: unknown; force?: unknown };
    if (!Array.isArray(body?.record_ids) || !body.record_ids.every((x) => typeof x === "string")) {
      throw new AppError("bad_request", 'expected {"record_ids": ["…"]}', [
        { path: ["record_ids"], code: "invalid_type", message: "a list of record ids", expected: "string[]" },
      ]);
    }
    if (body.force !== undefined && typeof body.force !== "boolean") {
      throw new AppError("bad_request", "force is true or false", [
        { path: ["force"], code: "invalid_type", message: "true or false", expected: "boolean" },
      ]);
    }
    const { runs, skipped } = await wf.enroll(c.get("call"), c.req.param("id"), body.record_ids, { force: body.force === true });
    return c.json({ data: runs.map(presentRun), skipped: skipped.map((s) => ({ record_id: s.recordId, reason: s.reason })) }, 201);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}/log",
    tags,
    security,
    summary: "What the workflow's loop protection stopped and why, and the enrolments its rate cap deferred",
    request: { params: idParam },
    responses: { 200: { description: "Log", ...json(z.object({ data: z.array(workflowLogEntrySchema) })) } },
  });
  app.get("/api/v1/workflows/:id/log", async (c) => {
    const rows = await wf.log(c.get("call"), c.req.param("id"), intParam(c, "limit") ?? 100);
    return c.json({ data: rows.map(presentLogEntry) });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/runs",
    tags: ["Runs"],
    security,
    summary: "Runs, newest first; filter by workflow, version, record, status, since, until, and where they stand at a step",
    request: {
      query: z.object({
        workflow_id: z.string().optional(),
        version: z.string().optional().meta({ description: "runs of this version (with workflow_id)" }),
        record_id: z.string().optional(),
        status: z.string().optional(),
        since: z.string().optional().meta({ description: "runs created at or after this instant (ISO 8601)" }),
        until: z.string().optional().meta({ description: "runs created before this instant (ISO 8601); after since" }),
        step: z
          .string()
          .optional()
          .meta({ description: "runs that reached this step id (with step_state: passed it, wait there, failed there)" }),
        step_state: z.enum(STEP_STATES).optional().meta({
          description:
            "with step: passed (in the log, moved on), waiting (there now), failed (there) — as /workflows/{id}/step-counts counts",
        }),
        limit: z.string().optional(),
        before: z.string().optional(),
      }),
    },
    responses: { 200: { description: "Runs", ...json(z.object({ data: z.array(runListItemSchema) })) } },
  });
  app.get("/api/v1/runs", async (c) => {
    const q = (k: string) => c.req.query(k) || undefined;
    const workflowId = q("workflow_id");
    const recordId = q("record_id");
    const status = q("status");
    const before = q("before");
    const since = instantParam(c, "since");
    const until = instantParam(c, "until");
    if (since && until && until <= since)
      throw new AppError("bad_request", "until must be after since", [
        { path: ["until"], code: "invalid_value", message: `until (${until}) is not after since (${since})` },
      ]);
    const limit = intParam(c, "limit");
    const version = intParam(c, "version");
    const step = q("step");
    const stepState = stepStateParam(q("step_state"), step);
    const runs = await wf.runs(c.get("call"), {
      ...(workflowId ? { workflowId } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(step ? { step } : {}),
      ...(stepState ? { stepState } : {}),
      ...(recordId ? { recordId } : {}),
      ...(status ? { status } : {}),
      ...(before ? { beforeId: before } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    // What each waiting run waits for, in words (the record page's Automation panel).
    const waits = await waitViewsOf(services.store.workflows, c.get("call").workspaceId, runs);
    return c.json({
      data: runs.map((r) => ({ ...presentRun(r), waiting_for: presentWait(waits.get(r.id)) }) satisfies z.infer<typeof runListItemSchema>),
    });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/runs/{id}",
    tags: ["Runs"],
    security,
    summary:
      "A run with every step: input, decision and why, effects, duration, and each delivery attempt of an external action; `deliveries`: its outbox items as they stand now (status, attempts, last error, next retry)",
    request: { params: idParam },
    responses: { 200: { description: "Run", ...json(runDetailSchema) } },
  });
  app.get("/api/v1/runs/:id", async (c) => {
    const { run, steps, deliveries, workflowDescription } = await wf.run(c.get("call"), c.req.param("id"));
    const waits = await waitViewsOf(services.store.workflows, c.get("call").workspaceId, [run]);
    return c.json({
      ...presentRun(run),
      waiting_for: presentWait(waits.get(run.id)),
      description: workflowDescription,
      steps: steps.map((s) => ({ ...presentStep(s), description: s.description })),
      deliveries: deliveries.map(presentRunDelivery),
    } satisfies z.infer<typeof runDetailSchema>);
  });

  for (const action of ["cancel", "retry", "skip-wait"] as const) {
    reg.registerPath({
      method: "post",
      path: `/api/v1/runs/{id}/${action}`,
      tags: ["Runs"],
      security,
      summary: `${action} a run`,
      request: { params: idParam },
      responses: {
        202: { description: "Queued: the run as it was when the control was queued", ...json(runSchema) },
        409: { description: "Not possible in the run's state" },
      },
    });
    app.post(`/api/v1/runs/:id/${action}`, async (c: Context<ApiEnv>) => {
      const run = await wf.control(c.get("call"), c.req.param("id") ?? "", action === "skip-wait" ? "skip_wait" : action);
      return c.json(presentRun(run), 202);
    });
  }

  reg.registerPath({
    method: "get",
    path: "/api/v1/{objects}/{id}/timeline",
    tags: ["Timeline"],
    security,
    summary:
      "A record's timeline: workflow steps, delivery attempts of external actions, loop stops (with the workflows of the chain), activities, changes and routing's assignment reasons, newest first",
    request: {
      params: z.object({ objects: z.string().meta({ description: "the object's plural (leads, contacts …)" }), id: z.string() }),
    },
    responses: { 200: { description: "Timeline", ...json(timelineSchema) } },
  });
  app.get("/api/v1/:objects/:id/timeline", async (c) => {
    const call = c.get("call");
    const objects = c.req.param("objects");
    const def = objectByPlural(objects) ?? (isObjectName(objects) ? { name: objects } : undefined);
    if (!def) throw new AppError("not_found", `no object "${objects}"`);
    const id = c.req.param("id");
    // Reading the record first is the authorisation: another workspace's record (or one of
    // another object) is not found, and nothing of its steps or assignments is read.
    const found = await services.records.get(call, def.name, id);
    const [steps, audit, activities, stops, assignments] = await Promise.all([
      wf.stepsOfRecord(call, id),
      services.records.history(call, def.name, id, 200),
      services.records.list(call, "activity", { filter: { field: "related_id", op: "eq", value: id }, sort: "-occurred_at", limit: 200 }),
      wf.loopStopsOfRecord(call, id),
      services.routing.insights.assignmentsOf(call, id, 200),
    ]);
    // Who made each change, by name (a person, an API token, a workflow, Handoff itself).
    const names = await actorNames(
      services.store,
      call.workspaceId,
      audit.map((a) => a.actor),
    );
    const items = presentTimeline({
      steps,
      audit,
      actorNames: names,
      stops,
      activities: activities.items.map((i) => i.record),
      assignments,
    });
    return c.json({ record: presentRecord(found.record), data: items } satisfies z.infer<typeof timelineSchema>);
  });
}
