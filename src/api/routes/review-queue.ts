/**
 * The data review queue over HTTP (issue 20, item 5; docs/data-quality.md "The review queue"):
 * list with filters and a cursor, one item, put a record in the queue, assign, resolve, dismiss.
 * The service checks the bodies and who may do what; this file parses and maps.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { REVIEW_NOTE_MAX, REVIEW_REASON_MAX } from "../../app/review-queue/review-queue.js";
import type { Services } from "../../composition/root.js";
import { REVIEW_KINDS, REVIEW_RESOLUTIONS, REVIEW_STATUSES } from "../../store/review-queue-ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { jsonBody } from "../request.js";

const ref = z.object({
  id: z.string(),
  name: z.string(),
  exists: z.boolean().describe("false once the record was deleted or merged away"),
});

export const reviewItemSchema = z
  .object({
    id: z.string(),
    kind: z
      .enum(REVIEW_KINDS)
      .describe(
        "rule: a warn rule; format: a value that did not normalise; required: a missing field; duplicate: a suspected pair; manual: put there by a person or a workflow",
      ),
    status: z.enum(REVIEW_STATUSES),
    resolution: z.enum(REVIEW_RESOLUTIONS).nullable(),
    object: z.string(),
    record: ref,
    other_record: ref
      .extend({ object: z.string().nullable().describe("its object (a lead's pair may be a contact); null once it is gone") })
      .nullable()
      .describe("the other record of a suspected duplicate pair"),
    reason: z.string(),
    detail: z.unknown().describe("the facts by kind: the rule and field; the pair's score, matched keys and fields"),
    assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
    created_by: z.string(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
    resolved_by: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi("ReviewItem");

const pageSchema = z.object({
  data: z.array(reviewItemSchema),
  next_cursor: z.string().nullable(),
  open_counts: z.record(z.string(), z.number()).describe("open items by kind"),
});

export function reviewQueueRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Data quality"];
  const idParam = z.object({ id: z.string() });
  const queue = services.reviewQueue;
  const noteBody = json(z.object({ note: z.string().max(REVIEW_NOTE_MAX).optional().describe("what was done, kept with the item") }));

  reg.registerPath({
    method: "get",
    path: "/api/v1/review-queue",
    tags,
    security,
    summary: "The data review queue, newest first",
    request: {
      query: z.object({
        status: z.enum(REVIEW_STATUSES).optional(),
        kind: z.enum(REVIEW_KINDS).optional(),
        object: z.string().optional(),
        assignee: z.string().optional().describe("me, unassigned, or a user id"),
        record_id: z.string().optional().describe("items about this record (either side of a pair)"),
        cursor: z.string().optional(),
        limit: z.string().optional().describe("1 to 200; default 50"),
      }),
    },
    responses: {
      200: { description: "A page of items", ...json(pageSchema) },
      422: problemJson("An unknown status, kind, object or cursor"),
    },
  });
  app.get("/api/v1/review-queue", async (c) => {
    const q = (name: string) => c.req.query(name);
    const page = await queue.list(c.get("call"), {
      status: q("status"),
      kind: q("kind"),
      object: q("object"),
      assignee: q("assignee"),
      recordId: q("record_id"),
      cursor: q("cursor"),
      limit: q("limit"),
    });
    return c.json(page);
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/review-queue",
    tags,
    security,
    summary: "Put a record in the queue, with the reason (once while it is open for the same reason)",
    request: {
      body: json(
        z.object({
          record_id: z.string(),
          reason: z.string().max(REVIEW_REASON_MAX),
          assignee_id: z.string().nullable().optional().describe("yourself, or anyone when you are an admin or manager"),
        }),
      ),
    },
    responses: {
      201: { description: "The item", ...json(reviewItemSchema) },
      403: problemJson("Assigning to someone else without being an admin or manager"),
      404: problemJson("No such record in this workspace"),
      422: problemJson("A missing record_id or reason, an unknown member, an assignee who is not a user"),
    },
  });
  app.post("/api/v1/review-queue", async (c) => c.json(await queue.add(c.get("call"), await jsonBody(c)), 201));

  reg.registerPath({
    method: "get",
    path: "/api/v1/review-queue/{id}",
    tags,
    security,
    summary: "One item of the queue",
    request: { params: idParam },
    responses: { 200: { description: "The item", ...json(reviewItemSchema) }, 404: problemJson("No such item in this workspace") },
  });
  app.get("/api/v1/review-queue/:id", async (c) => c.json(await queue.get(c.get("call"), c.req.param("id"))));

  reg.registerPath({
    method: "patch",
    path: "/api/v1/review-queue/{id}",
    tags,
    security,
    summary: "Assign an open item (admins and managers: anyone; others: take an unassigned one, give back their own)",
    request: { params: idParam, body: json(z.object({ assignee_id: z.string().nullable() })) },
    responses: {
      200: { description: "The item afterwards", ...json(reviewItemSchema) },
      403: problemJson("Not yours to assign"),
      404: problemJson("No such item in this workspace"),
      409: problemJson("The item is closed"),
      422: problemJson("assignee_id missing, or not a user of the workspace"),
    },
  });
  app.patch("/api/v1/review-queue/:id", async (c) => c.json(await queue.assign(c.get("call"), c.req.param("id"), await jsonBody(c))));

  for (const [action, summary] of [
    ["resolve", "Mark an open item resolved: the record was fixed"],
    ["dismiss", "Dismiss an open item: not a problem (a dismissed duplicate pair is never suggested again)"],
  ] as const) {
    reg.registerPath({
      method: "post",
      path: `/api/v1/review-queue/{id}/${action}`,
      tags,
      security,
      summary,
      request: { params: idParam, body: noteBody },
      responses: {
        200: { description: "The item afterwards", ...json(reviewItemSchema) },
        403: problemJson("Another person holds the item"),
        404: problemJson("No such item in this workspace"),
        409: problemJson("The item is closed already"),
        422: problemJson("A note that is too long, or an unknown member"),
      },
    });
    app.post(`/api/v1/review-queue/:id/${action}`, async (c) => {
      const body = await jsonBody(c);
      const call = c.get("call");
      const id = c.req.param("id");
      return c.json(action === "resolve" ? await queue.resolve(call, id, body) : await queue.dismiss(call, id, body));
    });
  }
}
