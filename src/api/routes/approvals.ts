/**
 * Approval requests over HTTP (docs/approvals.md): the inbox (waiting for me, decided by me,
 * submitted by me, all), one request with its record's context and history, a decision, a
 * resubmission, and the count the navigation shows. Whose inbox: the caller's user (a web
 * session's, or a token made for a user). Registered before the record routes, whose
 * `/api/v1/{objects}` would otherwise take `/api/v1/approvals`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { decisionBodySchema, resubmitBodySchema } from "../../app/approvals/approval-schemas.js";
import { APPROVAL_VIEWS } from "../../app/approvals/approval-service.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { intParam, jsonBody } from "../request.js";
import { inboxOwner } from "./notifications.js";

const STATUSES = ["pending", "approved", "rejected", "revise", "timed_out", "cancelled"] as const;

const approverSchema = z.object({
  user_id: z.string(),
  name: z.string(),
  why: z.string().describe("how they were found: named by the step, role manager, member of queue …"),
  on_behalf_of: z.object({ user_id: z.string(), name: z.string() }).nullable().describe("deciding for this person, who is away"),
  escalated: z.boolean().describe("added when the request timed out: their decision settles the level alone"),
  vote: z.object({ decision: z.enum(["approve", "reject", "revise"]), comment: z.string(), at: z.string() }).nullable(),
});

export const approvalSchema = z
  .object({
    id: z.string(),
    run_id: z.string(),
    workflow_id: z.string(),
    step: z.string(),
    round: z.number().describe("1, then one more each time it was sent back and resubmitted"),
    previous_id: z.string().nullable().describe("the previous round's request"),
    object: z.string(),
    record: z.object({ id: z.string(), title: z.string().nullable() }),
    summary: z.string(),
    stake: z
      .array(z.object({ field: z.string(), label: z.string(), value: z.unknown(), now: z.unknown() }))
      .describe("the fields at stake: their value when asked, and now"),
    lock: z.enum(["fields", "record", "none"]),
    route: z.string().describe("the route that chose the approvers, and why it matched"),
    status: z.enum(STATUSES),
    submitter: z.object({ id: z.string(), name: z.string() }).nullable(),
    level: z.number().describe("index of the level being decided"),
    levels: z.array(
      z.object({
        name: z.string(),
        require: z.string().describe('"any one of 3", "all 2", "2 of 3"'),
        needed: z.number(),
        status: z.string(),
        approvers: z.array(approverSchema),
      }),
    ),
    waiting_on: z.array(z.string()).describe("who must decide now"),
    outcome: z.string().nullable(),
    settled_at: z.string().nullable(),
    due_at: z.string().nullable().describe("when its timeout falls due, while pending"),
    created_at: z.string(),
    updated_at: z.string(),
    you_can: z.array(z.enum(["decide", "resubmit"])).describe("what the caller may do now"),
  })
  .openapi("ApprovalRequest");

const approvalDetailSchema = approvalSchema
  .extend({
    history: z.array(
      z.object({
        seq: z.number(),
        at: z.string(),
        kind: z.string().describe("opened, asked, voted, escalated, settled, resubmitted, lock_overridden, link_sent"),
        actor: z.object({ id: z.string(), name: z.string() }).nullable(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    rounds: z.array(
      z.object({ id: z.string(), round: z.number(), status: z.enum(STATUSES), outcome: z.string().nullable(), created_at: z.string() }),
    ),
  })
  .openapi("ApprovalRequestDetail");

export function approvalRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Approvals"];
  const approvals = services.approvals;
  const idParam = z.object({ id: z.string().describe("the request's id") });

  reg.registerPath({
    method: "get",
    path: "/api/v1/approvals",
    tags,
    security,
    summary: "Approval requests, newest first: waiting for me (default), decided by me, submitted by me, or all (admins, managers)",
    request: {
      query: z.object({
        view: z.enum(APPROVAL_VIEWS).optional(),
        status: z.enum(STATUSES).optional(),
        object: z.string().optional(),
        record_id: z.string().optional(),
        limit: z.string().optional().describe("1–200, default 50"),
        before: z.string().optional().describe("the `next_cursor` of the previous page"),
      }),
    },
    responses: {
      200: { description: "A page", ...json(z.object({ data: z.array(approvalSchema), next_cursor: z.string().nullable() })) },
      400: problemJson("A bad view, status, object or limit (the problem names it and the allowed values)"),
      403: problemJson('view "all" asked by a rep'),
    },
  });
  app.get("/api/v1/approvals", async (c) => {
    const page = await approvals.list(c.get("call"), inboxOwner(c), {
      view: c.req.query("view"),
      status: c.req.query("status"),
      object: c.req.query("object"),
      record_id: c.req.query("record_id"),
      limit: intParam(c, "limit"),
      before: c.req.query("before") || undefined,
    });
    return c.json({ data: page.items, next_cursor: page.next });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/approvals/open-count",
    tags,
    security,
    summary: "How many requests wait for the caller's decision",
    responses: { 200: { description: "The count", ...json(z.object({ open: z.number().int() })) } },
  });
  app.get("/api/v1/approvals/open-count", async (c) =>
    c.json({ open: await approvals.openCount(c.get("call"), inboxOwner(c)) }, 200, { "cache-control": "no-store" }),
  );

  reg.registerPath({
    method: "get",
    path: "/api/v1/approvals/{id}",
    tags,
    security,
    summary: "One request: the record's context, what is at stake, levels, votes, history and rounds",
    request: { params: idParam },
    responses: {
      200: { description: "The request", ...json(approvalDetailSchema) },
      404: problemJson("No such request, or not one the caller may see (admins, managers, its approvers and submitter)"),
    },
  });
  app.get("/api/v1/approvals/:id", async (c) => c.json(await approvals.get(c.get("call"), inboxOwner(c), c.req.param("id"))));

  reg.registerPath({
    method: "post",
    path: "/api/v1/approvals/{id}/decision",
    tags,
    security,
    summary: "Approve, reject, or send back for revision (with a comment)",
    request: { params: idParam, body: { content: { "application/json": { schema: decisionBodySchema } }, required: true } },
    responses: {
      200: { description: "The request after the decision", ...json(approvalDetailSchema) },
      403: problemJson("The caller submitted the request (no self-approval), or is not an approver of its current level"),
      404: problemJson("No such request the caller may see"),
      409: problemJson("Already decided (by whom, when), or the caller has decided this level already"),
      422: problemJson("A bad decision, or sending back without a comment (the problem names the field)"),
    },
  });
  app.post("/api/v1/approvals/:id/decision", async (c) =>
    c.json(await approvals.decide(c.get("call"), inboxOwner(c), c.req.param("id"), await jsonBody(c))),
  );

  reg.registerPath({
    method: "post",
    path: "/api/v1/approvals/{id}/resubmit",
    tags,
    security,
    summary: "Resubmit a request sent back for revision (its submitter, or an admin): the workflow asks again",
    request: { params: idParam, body: { content: { "application/json": { schema: resubmitBodySchema } }, required: true } },
    responses: {
      200: { description: "The request, resubmitted (its next round opens when the workflow takes it)", ...json(approvalDetailSchema) },
      403: problemJson("Not the submitter"),
      404: problemJson("No such request the caller may see"),
      409: problemJson("Not sent back for revision, or resubmitted already"),
    },
  });
  app.post("/api/v1/approvals/:id/resubmit", async (c) =>
    c.json(await approvals.resubmit(c.get("call"), inboxOwner(c), c.req.param("id"), await jsonBody(c))),
  );
}
