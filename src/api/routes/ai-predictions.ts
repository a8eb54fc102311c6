/**
 * Predictions over HTTP (issue 24; docs/ai.md "Predictions"): a record's, with their reasons and
 * overrides (for whoever may read the record), and a model's override rate by week.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import type { Services } from "../../composition/root.js";
import { isObjectName } from "../../crm/fields.js";
import { objectByPlural } from "../../crm/objects.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";

export const predictionItemSchema = z
  .object({
    id: z.string(),
    model_id: z.string(),
    model: z.string().meta({ description: "the model's name when it predicted" }),
    model_version: z.number(),
    field: z.string(),
    value: z.string(),
    confidence: z.number(),
    threshold: z.number(),
    applied: z.boolean().meta({ description: "written into the field (confident enough); false: sent to the low-confidence path" }),
    reasons: z.array(z.object({ feature: z.string(), weight: z.number(), text: z.string() })),
    run_id: z.string().nullable(),
    step: z.string().nullable(),
    created_at: z.string(),
    overridden: z
      .object({ at: z.string(), value: z.string().nullable(), by: z.string().nullable() })
      .nullable()
      .meta({ description: "a person changed the field to another value afterwards" }),
  })
  .openapi("AiPredictionItem");

const overrideWeek = z.object({
  week: z.string().meta({ description: "the Monday (UTC) the week starts on" }),
  applied: z.number(),
  overridden: z.number(),
  rate: z.number().nullable().meta({ description: "overridden ÷ applied; null without applied predictions" }),
});

export function aiPredictionRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["AI"];

  reg.registerPath({
    method: "get",
    path: "/api/v1/{objects}/{id}/predictions",
    tags,
    security,
    summary: "A record's AI predictions, newest first: value, confidence, reasons, whether it was written and whether a person overrode it",
    request: {
      params: z.object({ objects: z.string().meta({ description: "the object's plural (tickets, leads …)" }), id: z.string() }),
    },
    responses: {
      200: { description: "OK", ...json(z.object({ data: z.array(predictionItemSchema) })) },
      404: problemJson("No such record in this workspace"),
    },
  });
  app.get("/api/v1/:objects/:id/predictions", async (c) => {
    const objects = c.req.param("objects");
    const def = objectByPlural(objects) ?? (isObjectName(objects) ? { name: objects } : undefined);
    if (!def) throw new AppError("not_found", `no object "${objects}"`);
    return c.json({ data: await services.predictions.ofRecord(c.get("call"), def.name, c.req.param("id")) });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/ai/models/{model}/overrides",
    tags,
    security,
    summary: "How often people corrected the model's written predictions, week by week (oldest first, empty weeks included)",
    request: {
      params: z.object({ model: z.string().describe("the model's name or id") }),
      query: z.object({ weeks: z.string().optional().describe("how many weeks back, 1–104 (default 12)") }),
    },
    responses: {
      200: { description: "OK", ...json(z.object({ model_id: z.string(), weeks: z.array(overrideWeek) })) },
      404: problemJson("No such model"),
      422: problemJson("weeks is not a whole number from 1 to 104"),
    },
  });
  app.get("/api/v1/ai/models/:model/overrides", async (c) =>
    c.json(await services.predictions.overrideWeeks(c.get("call"), c.req.param("model"), c.req.query("weeks"))),
  );
}
