/**
 * AI models over HTTP (issue 24; docs/ai.md): list, create, read by name or id, change over the
 * version read (If-Match; the ETag carries the version), delete, train in the background (202 with
 * the training job; its progress on the model and at …/trainings), list the versions trainings
 * kept, and try a prediction. Every signed-in role reads models, their trainings and versions and
 * asks for predictions; admins make, change and train them.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AiModelView } from "../../app/ai/ai-model-admin.js";
import { AI_MODEL_KINDS, AI_OBJECTS, aiModelCreateSchema, aiModelPatchSchema } from "../../app/ai/ai-model-schemas.js";
import type { Services } from "../../composition/root.js";
import { ACTIVITY_TYPES } from "../../crm/objects.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

const BASE = "/api/v1/ai/models";

const quality = z.object({
  heldOut: z.number(),
  accuracy: z.number().describe("share of held-out records predicted right"),
  baseline: z.number().describe("accuracy of always answering the most common label"),
  baselineLabel: z.string(),
  classes: z.array(z.object({ label: z.string(), precision: z.number().nullable(), recall: z.number().nullable(), support: z.number() })),
  confusion: z.object({ labels: z.array(z.string()), counts: z.array(z.array(z.number())).describe("rows: actual, columns: predicted") }),
});

export const trainingJobSchema = z
  .object({
    id: z.string(),
    model_id: z.string(),
    state: z.enum(["queued", "running", "succeeded", "failed"]),
    phase: z.string().describe("in words: queued, reading records, learning, measuring, saving, done, failed"),
    progress: z.number().describe("0–1"),
    error: z.string().nullable().describe("why a failed training failed"),
    version: z.number().nullable().describe("the model version a succeeded training made"),
    requested_by: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi("AiTrainingJob");

const trainingWindow = z
  .object({ first_created_at: z.string().nullable(), last_created_at: z.string().nullable(), records: z.number() })
  .describe("the labelled records learned from: the first and last one's created_at, and how many");

export const modelVersionSchema = z
  .object({
    version: z.number(),
    trained_at: z.string(),
    data: trainingWindow,
    features: z.object({
      kind: z.enum(AI_MODEL_KINDS).optional().describe("conversion models only; a classifier's features name no kind"),
      target: z.string(),
      converted: z.array(z.string()).optional(),
      lost: z.array(z.string()).optional(),
      text_fields: z.array(z.string()),
      value_fields: z.array(z.string()),
      activity_types: z.array(z.enum(ACTIVITY_TYPES)).optional(),
    }),
    records: z.number(),
    held_out: z.number(),
    label_counts: z.record(z.string(), z.number()),
    quality,
    ready: z.boolean(),
    job_id: z.string().nullable(),
    created_by: z.string().nullable(),
  })
  .openapi("AiModelVersion");

export const aiModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(AI_MODEL_KINDS).describe("classifier: a field's value; conversion: the chance a record converts"),
    object: z.enum(AI_OBJECTS),
    target: z.string(),
    text_fields: z.array(z.string()),
    value_fields: z.array(z.string()),
    converted: z.array(z.string()).describe("conversion models: the target's values that mean converted"),
    lost: z.array(z.string()).describe("conversion models: the target's values that mean lost"),
    activity_types: z.array(z.enum(ACTIVITY_TYPES)).describe("conversion models: activity types whose counts it reads"),
    threshold: z.number(),
    enabled: z.boolean(),
    training: z
      .object({
        trained_at: z.string(),
        records: z.number(),
        held_out: z.number(),
        label_counts: z.record(z.string(), z.number()),
        quality,
        ready: z
          .boolean()
          .describe("past the gate (every label 50 records; a conversion model 120 converted and 50 lost): the model may be turned on"),
        shortfalls: z.array(z.object({ label: z.string(), have: z.number(), more: z.number() })),
        model_version: z.number().optional().describe("the model version this training is"),
        data: trainingWindow.optional(),
      })
      .nullable()
      .describe("the newest version's figures: what predictions use"),
    training_job: trainingJobSchema.nullable().describe("the newest training asked for, with its progress; null before the first"),
    version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
  })
  .openapi("AiModel");

const predictionSchema = z
  .object({
    model_id: z.string(),
    field: z.string(),
    value: z.string(),
    confidence: z.number(),
    low_confidence: z.boolean(),
    probabilities: z.record(z.string(), z.number()),
    reasons: z.array(z.object({ feature: z.string(), weight: z.number(), text: z.string() })),
  })
  .openapi("AiPrediction");

const withEtag = (c: Context<ApiEnv>, view: AiModelView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

export function aiModelRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["AI"];
  const models = services.aiModels;
  const errors = {
    400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
    403: problemJson("Only admins make, change and train models"),
    404: problemJson("No such model (or record) in this workspace"),
    409: problemJson("The name is taken; or the model cannot be turned on yet (untrained, too few labels), or is not trained"),
    412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
    422: problemJson(
      "Invalid: an unknown field, a field of a kind the model cannot read, a threshold outside 0–1, or nothing to train on (each problem names its path)",
    ),
  };
  const model = { params: z.object({ model: z.string().describe("the model's name or id") }) };

  reg.registerPath({
    method: "get",
    path: BASE,
    tags,
    security,
    summary: "AI models of the workspace, by name",
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(aiModelSchema) })) } },
  });
  app.get(BASE, async (c) => c.json({ data: await models.list(c.get("call")) }));
  reg.registerPath({
    method: "post",
    path: BASE,
    tags,
    security,
    summary: "Make a model (admins): what it predicts and what it reads; it starts untrained and off",
    request: { body: json(aiModelCreateSchema) },
    responses: { 201: { description: "Created; the ETag carries the version", ...json(aiModelSchema) }, ...errors },
  });
  app.post(BASE, async (c) => c.json(withEtag(c, await models.create(c.get("call"), await jsonBody(c))), 201));
  reg.registerPath({
    method: "get",
    path: `${BASE}/{model}`,
    tags,
    security,
    summary: "One model with its last training's quality",
    request: model,
    responses: { 200: { description: "OK; the ETag carries the version", ...json(aiModelSchema) }, 404: errors[404] },
  });
  app.get(`${BASE}/:model`, async (c) => c.json(withEtag(c, await models.get(c.get("call"), c.req.param("model")))));
  reg.registerPath({
    method: "patch",
    path: `${BASE}/{model}`,
    tags,
    security,
    summary: "Change a model, or turn it on or off (admins; If-Match: its version). Changing what it reads forgets its training",
    request: { ...model, body: json(aiModelPatchSchema) },
    responses: { 200: { description: "OK; the ETag carries the version", ...json(aiModelSchema) }, ...errors },
  });
  app.patch(`${BASE}/:model`, async (c) =>
    c.json(withEtag(c, await models.update(c.get("call"), c.req.param("model"), await jsonBody(c), ifMatchVersion(c)))),
  );
  reg.registerPath({
    method: "delete",
    path: `${BASE}/{model}`,
    tags,
    security,
    summary: "Delete a model (admins)",
    request: model,
    responses: { 204: { description: "Deleted" }, 403: errors[403], 404: errors[404] },
  });
  app.delete(`${BASE}/:model`, async (c) => {
    await models.delete(c.get("call"), c.req.param("model"));
    return c.body(null, 204);
  });
  reg.registerPath({
    method: "post",
    path: `${BASE}/{model}/train`,
    tags,
    security,
    summary:
      "Start a training on the workspace's labelled records (admins): answers at once with the queued job; it runs in the background, one in five records held out to measure quality",
    request: model,
    responses: {
      202: { description: "Queued; Location: the model's trainings, where its progress is read", ...json(trainingJobSchema) },
      ...errors,
      409: problemJson("The model is already training"),
      422: problemJson("Nothing to train on: no labelled record, or a single label (the problem names `target`)"),
    },
  });
  app.post(`${BASE}/:model/train`, async (c) => {
    const job = await services.aiTraining.start(c.get("call"), c.req.param("model"));
    c.header("location", `${BASE}/${encodeURIComponent(job.model_id)}/trainings`);
    return c.json(job, 202);
  });
  reg.registerPath({
    method: "get",
    path: `${BASE}/{model}/trainings`,
    tags,
    security,
    summary: "The model's trainings, newest first (the last 20): state, phase and progress, the version made or why it failed",
    request: model,
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(trainingJobSchema) })) }, 404: errors[404] },
  });
  app.get(`${BASE}/:model/trainings`, async (c) => c.json({ data: await services.aiTraining.jobs(c.get("call"), c.req.param("model")) }));
  reg.registerPath({
    method: "get",
    path: `${BASE}/{model}/versions`,
    tags,
    security,
    summary:
      "The model's versions, newest first: one per successful training — when, the records learned from, what it read and how well (without the learned parameters)",
    request: model,
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(modelVersionSchema) })) }, 404: errors[404] },
  });
  app.get(`${BASE}/:model/versions`, async (c) =>
    c.json({ data: await services.aiTraining.versions(c.get("call"), c.req.param("model")) }),
  );
  const predictBody = z
    .object({
      record_id: z.string().optional(),
      record: z.record(z.string(), z.unknown()).optional(),
      activities: z
        .record(z.string(), z.number().int().min(0))
        .optional()
        .describe('with record, for a conversion model: activities of each type it counts, {"meeting": 2}'),
    })
    .describe("record_id of a record of the model's object, or record: its fields inline (and, for a conversion model, its activities)");
  reg.registerPath({
    method: "post",
    path: `${BASE}/{model}/predict`,
    tags,
    security,
    summary: "What the model says of a record, with its confidence and the features that decided it (writes nothing)",
    request: { ...model, body: json(predictBody) },
    responses: { 200: { description: "OK", ...json(predictionSchema) }, ...errors },
  });
  app.post(`${BASE}/:model/predict`, async (c) => c.json(await models.predict(c.get("call"), c.req.param("model"), await jsonBody(c))));
}
