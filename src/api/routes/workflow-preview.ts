/**
 * POST /api/v1/workflows/preview-template: the builder's live preview of a template, rendered
 * against a record the caller chose exactly as the engine would render it in that step
 * (src/app/workflows/template-preview.ts says how). Its own file: the workflow routes are many.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import { TEMPLATE_ACTIONS } from "../../app/workflows/template-preview.js";
import type { Services } from "../../composition/root.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { zodIssues } from "../../engine/validate.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";

const previewBody = z
  .object({
    object: z.enum(OBJECT_NAMES).describe("the workflow's object"),
    record_id: z.string().min(1).max(200).describe("the record to render against; one the caller may read"),
    template: z.string().max(100_000).describe("the Liquid template, as the step holds it"),
    action: z
      .enum(TEMPLATE_ACTIONS as [string, ...string[]])
      .optional()
      .describe("the action the template belongs to, which decides what it may read and how it renders (default notify)"),
    part: z.string().max(40).optional().describe("which of the action's templates: subject, text, html, body, path … (default its first)"),
  })
  .strict();

export function workflowPreviewRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/api/v1/workflows/preview-template",
    tags: ["Workflows"],
    security: [{ bearer: [] }, { session: [] }],
    summary: "Render a step's template against a record, as the engine would (the builder's live preview)",
    request: { body: { content: { "application/json": { schema: previewBody } } } },
    responses: {
      200: { description: "The rendered text", content: { "application/json": { schema: z.object({ text: z.string() }) } } },
      404: { description: "No such record that the caller may read" },
      422: { description: "The template is refused (the message says why, as publish would)" },
    },
  });
  app.post("/api/v1/workflows/preview-template", async (c) => {
    const parsed = previewBody.safeParse(await jsonBody(c));
    if (!parsed.success)
      throw new AppError("bad_request", "expected {object, record_id, template, action?, part?}", zodIssues(parsed.error.issues));
    const b = parsed.data;
    const text = await services.templatePreview.render(c.get("call"), {
      object: b.object,
      recordId: b.record_id,
      template: b.template,
      action: b.action as (typeof TEMPLATE_ACTIONS)[number] | undefined,
      part: b.part,
    });
    return c.json({ text });
  });
}
