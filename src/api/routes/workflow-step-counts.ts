/**
 * GET /api/v1/workflows/{id}/step-counts: how many runs of a version passed each step, wait there
 * now and failed there, in a period (the counts on the workflow graph, issue 15). Each count
 * opens its runs through GET /api/v1/runs?workflow_id=&version=&since=&step=&step_state=.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { instantParam } from "../request.js";

const countsSchema = z.object({ passed: z.number().int(), waiting: z.number().int(), failed: z.number().int() });

export const stepCountsSchema = z.object({
  workflow_id: z.string(),
  version: z.number().int(),
  since: z.string().meta({ description: "runs started at or after this instant are counted" }),
  steps: z
    .record(z.string(), countsSchema)
    .meta({ description: "per step id that runs reached: passed it (moved on), waiting there now, failed there" }),
});

/** A positive whole version number from the query, or undefined when absent; anything else is a 400 naming `version`. */
function versionParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new AppError("bad_request", "version must be a version number such as 2", [
      { path: ["version"], code: "invalid_type", message: `expected a positive whole number, got "${raw}"`, expected: "integer" },
    ]);
  return n;
}

export function workflowStepCountRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}/step-counts",
    tags: ["Workflows"],
    security: [{ bearer: [] }, { session: [] }],
    summary: "Runs per step of a version started since an instant: passed, waiting there now, failed there",
    request: {
      params: z.object({ id: z.string() }),
      query: z.object({
        version: z.string().optional().meta({ description: "the version (default: the live one, else the latest)" }),
        since: z.string().optional().meta({ description: "count runs started at or after this instant (ISO 8601; default: 7 days ago)" }),
      }),
    },
    responses: {
      200: { description: "Counts per step", content: { "application/json": { schema: stepCountsSchema } } },
      400: { description: "A parameter that cannot be read (named in the problem)" },
      404: { description: "No such workflow in the workspace, or no such version" },
    },
  });
  app.get("/api/v1/workflows/:id/step-counts", async (c) => {
    const version = versionParam(c.req.query("version"));
    const since = instantParam(c, "since");
    const view = await services.stepCounts.of(c.get("call"), c.req.param("id"), {
      ...(version !== undefined ? { version } : {}),
      ...(since ? { since } : {}),
    });
    return c.json({
      workflow_id: view.workflowId,
      version: view.version,
      since: view.since,
      steps: Object.fromEntries(view.steps.map((s) => [s.step, { passed: s.passed, waiting: s.waiting, failed: s.failed }])),
    });
  });
}
