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
import { FailureWindow } from "../../app/auth/failure-window.js";
import type { Config } from "../../composition/config.js";
import type { Services } from "../../composition/root.js";
import { jsonBodyLimit } from "../body-limit.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { problem } from "../problem.js";
import { jsonBody } from "../request.js";
import { clientAddress } from "../session-cookie.js";
import { approvalSchema } from "./approvals.js";

const NO_STORE = { "cache-control": "no-store" };
/** Refused links (forged, expired, malformed) one address may send per window before a 429. */
export const LINK_FAILURES_PER_ADDRESS = 30;
const LINK_FAILURE_WINDOW_MS = 15 * 60_000;

export function approvalLinkRoutes(app: OpenAPIHono<ApiEnv>, services: Services, config: Pick<Config, "bodyLimitBytes">) {
  const reg = app.openAPIRegistry;
  const tags = ["Approvals"];
  const limit = config.bodyLimitBytes;
  app.use("/approval-links/*", jsonBodyLimit(limit));
  // Tokens are long and signed, so guessing one is hopeless; an address sending link after bad
  // link is still told to stop (and spares the database the lookups): its failures are counted.
  const failures = new FailureWindow(LINK_FAILURE_WINDOW_MS, () => services.clock.now().getTime());
  app.use("/approval-links/*", async (c, next) => {
    const key = clientAddress(c);
    const wait = failures.wait(key, LINK_FAILURES_PER_ADDRESS);
    if (wait > 0) {
      c.header("retry-after", String(wait));
      return problem(c, "rate_limited", `too many refused approval links from this address: try again in ${wait} s`);
    }
    await next();
    if (c.res.status === 403 || c.res.status === 404 || c.res.status === 422) failures.fail(key);
  });
  const refused = {
    403: problemJson("The link expired"),
    404: problemJson("Not a link Handoff sent (forged, or its request is gone)"),
    409: problemJson("The link was used already, or the request was decided by someone else"),
    422: problemJson("The body is not a token of the right shape (the problem names the field)"),
    429: problemJson("Too many refused links from this address; Retry-After says when to try again"),
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
