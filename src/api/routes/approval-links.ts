/**
 * The email links' public edge (docs/approvals.md, "Email links"): the web app's confirmation
 * page (`/approvals/confirm#t=…`) posts the token from the link's fragment here, first to show
 * what the link would decide, then — once the person confirms — to decide. No session: the
 * token is the credential, single-use, bound to one request, approver and decision, and
 * expiring. Both are POSTs so that the token never sits in a URL a server or proxy logs, and
 * nothing is ever decided by opening a link. Registered before authentication, with its own
 * body limit.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { linkDecisionBodySchema, linkInspectBodySchema, parseBody } from "../../app/approvals/approval-schemas.js";
import type { Config } from "../../composition/config.js";
import type { Services } from "../../composition/root.js";
import { jsonBodyLimit } from "../body-limit.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { jsonBody } from "../request.js";
import { approvalSchema } from "./approvals.js";

const NO_STORE = { "cache-control": "no-store" };

export function approvalLinkRoutes(app: OpenAPIHono<ApiEnv>, services: Services, config: Pick<Config, "bodyLimitBytes">) {
  const reg = app.openAPIRegistry;
  const tags = ["Approvals"];
  const limit = config.bodyLimitBytes;
  app.use("/approval-links/*", jsonBodyLimit(limit));
  const refused = {
    403: problemJson("The link expired"),
    404: problemJson("Not a link Handoff sent (forged, or its request is gone)"),
    409: problemJson("The link was used already, or the request was decided by someone else"),
    422: problemJson("The body is not a token of the right shape (the problem names the field)"),
  };

  reg.registerPath({
    method: "post",
    path: "/approval-links/inspect",
    tags,
    summary: "What an email link would decide, for its confirmation page (public: the token is the credential; decides nothing)",
    request: { body: { content: { "application/json": { schema: linkInspectBodySchema } }, required: true } },
    responses: {
      200: {
        description: "The link's decision, its approver, its expiry and the request",
        ...json(
          z.object({
            decision: z.enum(["approve", "reject"]),
            expires_at: z.string(),
            approver: z.string().nullable(),
            request: approvalSchema,
          }),
        ),
      },
      ...refused,
    },
  });
  app.post("/approval-links/inspect", async (c) => {
    const body = parseBody(linkInspectBodySchema, await jsonBody(c));
    return c.json(await services.approvals.inspectLink(body.token), 200, NO_STORE);
  });

  reg.registerPath({
    method: "post",
    path: "/approval-links/decide",
    tags,
    summary: "Decide as the email link says, once confirmed (public: the token is the credential; spends both links of that email)",
    request: { body: { content: { "application/json": { schema: linkDecisionBodySchema } }, required: true } },
    responses: {
      200: { description: "The request after the decision", ...json(approvalSchema.passthrough()) },
      ...refused,
    },
  });
  app.post("/approval-links/decide", async (c) => c.json(await services.approvals.decideByLink(await jsonBody(c)), 200, NO_STORE));
}
