/**
 * Workflow reviews and overrides over HTTP (issue 19, item 5; docs/workflows.md "Reviews and
 * overrides"): a workflow's review with its history and latest overrides, marking it reviewed,
 * changing its owner or interval (admins), and the list of reviews (overdue ones on request).
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import { INTERVALS, REVIEW_NOTE_MAX, type ReviewChange } from "../../app/workflows/reviews.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { jsonBody } from "../request.js";
import { presentReviewDetail, presentReviewListItem, reviewDetailSchema, reviewListItemSchema } from "./review-schemas.js";

/** The PATCH body, checked at the edge for types; the service checks the values against the workspace. */
function reviewChange(body: unknown): ReviewChange {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AppError("bad_request", 'expected {"owner_id"?: …, "interval_months"?: …}', [
      { path: [], code: "invalid_type", message: "an object" },
    ]);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== "owner_id" && k !== "interval_months");
  if (unknown.length > 0)
    throw new AppError("bad_request", `unknown member ${unknown[0]}: owner_id and interval_months may change`, [
      { path: [unknown[0] as string], code: "unknown_field", message: "expected owner_id or interval_months" },
    ]);
  const change: ReviewChange = {};
  if ("owner_id" in b) {
    if (b.owner_id !== null && typeof b.owner_id !== "string")
      throw new AppError("bad_request", "owner_id is a user id, or null for nobody", [
        { path: ["owner_id"], code: "invalid_type", message: "a user id or null", expected: "string" },
      ]);
    change.ownerId = b.owner_id as string | null;
  }
  if ("interval_months" in b) {
    if (typeof b.interval_months !== "number")
      throw new AppError("bad_request", `interval_months is one of ${INTERVALS.join(", ")}`, [
        { path: ["interval_months"], code: "invalid_type", message: `expected one of ${INTERVALS.join(", ")}`, expected: "number" },
      ]);
    change.intervalMonths = b.interval_months;
  }
  return change;
}

export function workflowReviewRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Workflows"];
  const idParam = z.object({ id: z.string() });
  const reviews = services.reviews;

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflow-reviews",
    tags,
    security,
    summary: "The live workflows' reviews, soonest due first, with their override counts (overdue=true: only those past their date)",
    request: { query: z.object({ overdue: z.enum(["true", "false"]).optional() }) },
    responses: {
      200: { description: "Reviews", ...json(z.object({ data: z.array(reviewListItemSchema) })) },
      400: problemJson("overdue other than true or false"),
    },
  });
  app.get("/api/v1/workflow-reviews", async (c) => {
    const overdue = c.req.query("overdue");
    if (overdue !== undefined && overdue !== "true" && overdue !== "false")
      throw new AppError("bad_request", "overdue is true or false", [
        { path: ["overdue"], code: "invalid_value", message: `expected true | false, got "${overdue}"` },
      ]);
    const items = await reviews.list(c.get("call"), { overdue: overdue === "true" });
    return c.json({ data: items.map(presentReviewListItem) });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}/review",
    tags,
    security,
    summary: "A workflow's review (owner, interval, next date), its history and its overrides of the last 30 days",
    request: { params: idParam },
    responses: { 200: { description: "The review", ...json(reviewDetailSchema) }, 404: problemJson("No such workflow in this workspace") },
  });
  app.get("/api/v1/workflows/:id/review", async (c) => c.json(presentReviewDetail(await reviews.detail(c.get("call"), c.req.param("id")))));

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/reviews",
    tags,
    security,
    summary:
      "Mark the workflow reviewed (its owner, admins, managers): the note is kept with who and when; the next date moves on by the interval",
    request: { params: idParam, body: json(z.object({ note: z.string().max(REVIEW_NOTE_MAX).describe("what was checked and found") })) },
    responses: {
      201: { description: "Reviewed: the review afterwards", ...json(reviewDetailSchema) },
      403: problemJson("Not its owner, an admin or a manager"),
      404: problemJson("No such workflow in this workspace"),
      409: problemJson("Never published: nothing to review yet"),
      422: problemJson("The note is missing, blank or too long"),
    },
  });
  app.post("/api/v1/workflows/:id/reviews", async (c) => {
    const body = (await jsonBody(c)) as { note?: unknown } | null;
    const detail = await reviews.markReviewed(c.get("call"), c.req.param("id"), body?.note);
    return c.json(presentReviewDetail(detail), 201);
  });

  reg.registerPath({
    method: "patch",
    path: "/api/v1/workflows/{id}/review",
    tags,
    security,
    summary: "Change the review's owner or interval (admins)",
    request: {
      params: idParam,
      body: json(
        z.object({
          owner_id: z.string().nullable().optional().describe("a user of the workspace; null: nobody"),
          interval_months: z
            .number()
            .optional()
            .describe(`one of ${INTERVALS.join(", ")}; the next date becomes the last review (or now) plus it`),
        }),
      ),
    },
    responses: {
      200: { description: "The review afterwards", ...json(reviewDetailSchema) },
      400: problemJson("A member of the wrong type, or an unknown one"),
      403: problemJson("Not an admin"),
      404: problemJson("No such workflow in this workspace"),
      422: problemJson("The owner is not a user of the workspace, or the interval is not one of the allowed"),
    },
  });
  app.patch("/api/v1/workflows/:id/review", async (c) => {
    const detail = await reviews.update(c.get("call"), c.req.param("id"), reviewChange(await jsonBody(c)));
    return c.json(presentReviewDetail(detail));
  });
}
