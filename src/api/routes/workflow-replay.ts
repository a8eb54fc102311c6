/**
 * Replay with a diff (issue 19; docs/testing-workflows.md, "Replay"): thin over
 * `services.workflowTests.replay`. The replay happens in a sandbox and writes nothing live.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { REPLAY_VERDICTS } from "../../app/replay/replay-diff.js";
import { replayBodySchema } from "../../app/replay/replay-schema.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";

const outcomeSchema = z
  .object({
    status: z.string(),
    path: z.array(z.string()).meta({ description: "the step ids taken, in order" }),
    fields: z.record(z.string(), z.unknown()).meta({ description: "the last value the run wrote per field of its record" }),
    owner: z.string().nullable().meta({ description: "the owner chosen (user id); null when none or held" }),
    created: z.array(z.object({ object: z.string(), fields: z.record(z.string(), z.unknown()) })),
    messages: z.array(
      z.object({
        kind: z.string(),
        to: z.string().nullable(),
        what: z.string().meta({ description: "an email's subject, a call's method and path, a chat message, a webhook's type" }),
      }),
    ),
  })
  .openapi("RunOutcome");

const replayReportSchema = z
  .object({
    workflow: z.object({ id: z.string(), key: z.string(), name: z.string() }),
    tested: z.object({ version: z.number(), source: z.enum(["draft", "version", "file"]) }),
    window: z.object({ since: z.string().nullable(), until: z.string().nullable(), limit: z.number() }),
    read: z.number().meta({ description: "triggers read; those neither production nor the draft enrolled are not listed" }),
    counts: z.object(
      Object.fromEntries(REPLAY_VERDICTS.map((v) => [v, z.number()])) as Record<(typeof REPLAY_VERDICTS)[number], z.ZodNumber>,
    ),
    triggers: z.array(
      z.object({
        event_id: z.string(),
        event_type: z.string(),
        occurred_at: z.string(),
        record_id: z.string(),
        production_run_id: z.string().nullable(),
        verdict: z.enum(REPLAY_VERDICTS),
        differences: z.array(
          z.object({
            aspect: z.enum(["status", "path", "field", "owner", "created", "messages"]),
            field: z.string().optional(),
            production: z.unknown(),
            draft: z.unknown(),
            sentence: z.string(),
          }),
        ),
        production: outcomeSchema.nullable(),
        draft: outcomeSchema.nullable(),
      }),
    ),
    simulated: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  })
  .openapi("ReplayReport");

export function workflowReplayRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/replays",
    tags: ["Workflow tests"],
    security: [{ bearer: [] }, { session: [] }],
    summary:
      "Replay the triggers production received (the newest `limit`, or a period) against the draft or a version in a sandbox, and compare each outcome with production's: unchanged, changed, new, no longer enrolled",
    request: { params: z.object({ id: z.string().meta({ description: "workflow id or key" }) }), body: json(replayBodySchema) },
    responses: {
      200: { description: "The replay's report", ...json(replayReportSchema) },
      403: { description: "Not an admin or manager" },
      404: { description: "No such workflow in this workspace" },
      409: { description: "The workflow has never been live" },
      422: { description: "Invalid body: problem+json naming the field path" },
    },
  });
  app.post("/api/v1/workflows/:id/replays", async (c) =>
    c.json(await services.workflowTests.replay(c.get("call"), c.req.param("id"), await jsonBody(c))),
  );
}
