/**
 * Lead scoring over HTTP (docs/scoring.md): models — list, create, read with versions, publish
 * a version, preview a definition on existing records, switch on/off, delete, the latest
 * rescore's progress — and a record's score (at an instant) and ledger. Every signed-in role
 * reads; admins change models. Registered before the record routes, whose `/api/v1/{objects}`
 * would otherwise take `/api/v1/scoring`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import { checkIncomingJson } from "../../app/incoming-json.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { jsonBody } from "../request.js";

const rescore = z
  .object({
    id: z.string(),
    version: z.number(),
    state: z.enum(["queued", "running", "done", "failed"]),
    total: z.number().describe("records of the object when it was queued"),
    done: z.number(),
    changed: z.number().describe("records whose total moved"),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi("ScoreRescore");
const fields = z.object({ total: z.string(), fit: z.string().optional(), engagement: z.string().optional() });
const summary = {
  id: z.string(),
  key: z.string(),
  name: z.string(),
  object: z.string(),
  enabled: z.boolean(),
  version: z.number(),
  fields,
  rescore: rescore.nullable(),
  updated_at: z.string(),
  updated_by: z.string().nullable(),
};
export const scoreModelSummarySchema = z.object(summary).openapi("ScoreModelSummary");
// The definition's conditions are recursive, which the OpenAPI generator cannot walk: the
// definition is documented as JSON (docs/scoring.md gives its format; the service checks it).
export const scoreModelSchema = z
  .object({
    ...summary,
    definition: z.record(z.string(), z.unknown()).describe("the current version's definition (docs/scoring.md)"),
    versions: z.array(
      z.object({ version: z.number(), published_at: z.string(), published_by: z.string().nullable(), note: z.string().nullable() }),
    ),
  })
  .openapi("ScoreModel");
const body = z.object({ definition: z.record(z.string(), z.unknown()), note: z.string().optional() });
const preview = z
  .object({
    records: z.number(),
    histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
    mean: z.number(),
    median: z.number(),
    changed: z.number(),
    up: z.number(),
    down: z.number(),
    top_rules: z.array(z.object({ group: z.string(), rule: z.string(), label: z.string(), records: z.number() })),
  })
  .openapi("ScorePreview");
const ruleValue = z.object({
  key: z.string(),
  label: z.string(),
  points: z.number(),
  current: z.number(),
  rounded: z.number(),
  hits: z.number(),
});
export const recordScoreSchema = z
  .object({
    model: z.object({ id: z.string(), key: z.string(), name: z.string() }),
    version: z.number(),
    at: z.string(),
    fields,
    total: z.number(),
    fit: z.number(),
    engagement: z.number(),
    exact: z.object({ total: z.number(), fit: z.number(), engagement: z.number() }),
    groups: z.array(
      z.object({
        part: z.enum(["fit", "engagement"]),
        key: z.string(),
        label: z.string(),
        cap: z.number().nullable(),
        value: z.number(),
        rounded: z.number(),
        rules: z.array(ruleValue),
      }),
    ),
    next_change_at: z.string().nullable().describe("when decay or expiry next changes what the fields hold"),
  })
  .openapi("RecordScore");
export const ledgerRowSchema = z
  .object({
    id: z.string(),
    model: z.object({ id: z.string(), key: z.string() }),
    version: z.number(),
    kind: z.enum(["fit", "engagement", "decay", "expiry", "rescore"]),
    group: z.string().nullable(),
    rule: z.string().nullable(),
    points: z.number().nullable(),
    before: z.number(),
    after: z.number(),
    change: z.number(),
    cause_event_id: z.string().nullable(),
    cause: z.record(z.string(), z.unknown()),
    at: z.string(),
  })
  .openapi("ScoreLedgerRow");

export function scoringRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Scoring"];
  const scoring = services.scoring;
  const keyParam = { params: z.object({ key: z.string().describe("the model's key") }) };
  const doc = (
    method: "get" | "post" | "patch" | "delete",
    path: string,
    summaryText: string,
    ok: z.ZodType | null,
    status = 200,
    reqBody?: z.ZodType,
  ) => {
    const params: { params?: (typeof keyParam)["params"] } = path.includes("{key}") ? keyParam : {};
    reg.registerPath({
      method,
      path,
      tags,
      security,
      summary: summaryText,
      ...(params.params || reqBody ? { request: { ...params, ...(reqBody ? { body: json(reqBody) } : {}) } } : {}),
      responses: {
        [status]: ok ? { description: "OK", ...json(ok) } : { description: "Done" },
        400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string): each problem names its path"),
        403: problemJson("Only admins change scoring models"),
        404: problemJson("No such scoring model in this workspace"),
        409: problemJson("The key is taken"),
        422: problemJson(
          "Invalid: points that are not numbers, a cap below zero, a decay of zero days, a rule on an unknown field or activity type, an output field that is not a number field or is another model's (each problem names its path)",
        ),
      },
    });
  };

  doc(
    "get",
    "/api/v1/scoring/models",
    "Scoring models of the workspace, by key, with their latest rescore",
    z.object({ data: z.array(scoreModelSummarySchema) }),
  );
  app.get("/api/v1/scoring/models", async (c) => c.json({ data: await scoring.list(c.get("call")) }));
  doc(
    "post",
    "/api/v1/scoring/models",
    "Create a scoring model (admins): version 1, and a rescore of the object's records",
    scoreModelSchema,
    201,
    body,
  );
  app.post("/api/v1/scoring/models", async (c) => c.json(await scoring.create(c.get("call"), await jsonBody(c)), 201));
  doc(
    "post",
    "/api/v1/scoring/preview",
    "Preview a new model's score distribution on existing records, writing nothing (admins)",
    preview,
    200,
    body,
  );
  app.post("/api/v1/scoring/preview", async (c) => c.json(await scoring.preview(c.get("call"), undefined, await jsonBody(c))));
  doc("get", "/api/v1/scoring/models/{key}", "One scoring model: its current definition and its versions", scoreModelSchema);
  app.get("/api/v1/scoring/models/:key", async (c) => c.json(await scoring.get(c.get("call"), c.req.param("key"))));
  doc(
    "post",
    "/api/v1/scoring/models/{key}/versions",
    "Publish a new version (admins): records are rescored in the background",
    scoreModelSchema,
    201,
    body,
  );
  app.post("/api/v1/scoring/models/:key/versions", async (c) =>
    c.json(await scoring.publish(c.get("call"), c.req.param("key"), await jsonBody(c)), 201),
  );
  doc(
    "post",
    "/api/v1/scoring/models/{key}/preview",
    "Preview a version's score distribution on existing records, writing nothing (admins)",
    preview,
    200,
    body,
  );
  app.post("/api/v1/scoring/models/:key/preview", async (c) =>
    c.json(await scoring.preview(c.get("call"), c.req.param("key"), await jsonBody(c))),
  );
  doc(
    "patch",
    "/api/v1/scoring/models/{key}",
    "Switch a model on or off (admins); switching on rescores",
    scoreModelSchema,
    200,
    z.object({ enabled: z.boolean() }),
  );
  app.patch("/api/v1/scoring/models/:key", async (c) =>
    c.json(await scoring.setEnabled(c.get("call"), c.req.param("key"), await jsonBody(c))),
  );
  doc(
    "delete",
    "/api/v1/scoring/models/{key}",
    "Delete a model with its versions, scores and ledger (admins); the fields keep their last values",
    null,
    204,
  );
  app.delete("/api/v1/scoring/models/:key", async (c) => {
    await scoring.delete(c.get("call"), c.req.param("key"));
    return c.body(null, 204);
  });
  doc("get", "/api/v1/scoring/models/{key}/rescores/latest", "The latest rescore of a model and its progress", rescore);
  app.get("/api/v1/scoring/models/:key/rescores/latest", async (c) =>
    c.json(await scoring.latestRescore(c.get("call"), c.req.param("key"))),
  );

  const recordParams = z.object({ objects: z.string().meta({ description: "the object's plural (leads, contacts …)" }), id: z.string() });
  reg.registerPath({
    method: "get",
    path: "/api/v1/{objects}/{id}/score",
    tags,
    security,
    summary:
      "A record's score under each enabled model of its object, at an instant (default now): total, fit, engagement, groups and rules, exact and rounded",
    request: { params: recordParams, query: z.object({ at: z.string().optional().describe("ISO 8601 instant") }) },
    responses: {
      200: { description: "OK", ...json(z.object({ data: z.array(recordScoreSchema) })) },
      404: problemJson("No such record in this workspace"),
      422: problemJson("`at` is not an instant"),
    },
  });
  app.get("/api/v1/:objects/:id/score", async (c) => {
    const at = c.req.query("at");
    checkIncomingJson({ at }, []);
    return c.json({ data: await scoring.recordScore(c.get("call"), c.req.param("objects"), c.req.param("id"), at) });
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/{objects}/{id}/score/ledger",
    tags,
    security,
    summary:
      "A record's score ledger, newest first, by page (cursor: next_cursor): every change with its model version, rule, cause, points, before and after",
    request: {
      params: recordParams,
      query: z.object({
        model: z.string().optional(),
        cursor: z.string().optional(),
        limit: z.string().optional().describe("1–200, default 50"),
      }),
    },
    responses: {
      200: { description: "OK", ...json(z.object({ data: z.array(ledgerRowSchema), next_cursor: z.string().nullable() })) },
      400: problemJson("A limit that is not a number"),
      404: problemJson("No such record or model in this workspace"),
    },
  });
  app.get("/api/v1/:objects/:id/score/ledger", async (c) => {
    const q = { model: c.req.query("model"), cursor: c.req.query("cursor"), limit: c.req.query("limit") };
    checkIncomingJson(q, []);
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (limit !== undefined && !Number.isInteger(limit))
      throw new AppError("bad_request", "limit is a whole number", [
        { path: ["limit"], code: "invalid_type", message: "limit is a whole number from 1 to 200", expected: "integer" },
      ]);
    return c.json(
      await scoring.ledger(c.get("call"), c.req.param("objects"), c.req.param("id"), { model: q.model, cursor: q.cursor, limit }),
    );
  });
}
