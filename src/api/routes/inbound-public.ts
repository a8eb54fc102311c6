/**
 * The public, unauthenticated edge: `POST /hooks/{key}` (signed JSON, Standard Webhooks) and
 * the hosted forms `GET|POST /forms/{key}`. The body limit applies before anything is buffered.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../app/errors.js";
import type { DeliveryResult } from "../../app/inbound/intake.js";
import { RateLimitedError } from "../../app/inbound/rate-limit.js";
import type { Config } from "../../composition/config.js";
import type { Services } from "../../composition/root.js";
import { jsonBodyLimit } from "../body-limit.js";
import type { ApiEnv } from "../env.js";
import { formPage, messagePage, thanksPage } from "../forms/form-page.js";
import { problem } from "../problem.js";

const HTML_HEADERS = {
  // The page needs nothing but its inline CSS and to post to itself.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

function html(c: Context<ApiEnv>, body: string, status: 200 | 404 | 413 | 415 | 422 | 429 = 200) {
  return c.html(body, status, HTML_HEADERS);
}

export function presentDelivery(r: DeliveryResult) {
  return {
    delivery_id: r.deliveryId,
    record_id: r.recordId,
    action: r.action,
    event_id: r.eventId,
    received_at: r.receivedAt,
    replayed: r.replayed,
  };
}

export function inboundPublicRoutes(app: OpenAPIHono<ApiEnv>, services: Services, config: Pick<Config, "bodyLimitBytes">) {
  const { receiver, submissions } = services.inbound;
  const limit = config.bodyLimitBytes;
  app.use("/hooks/*", jsonBodyLimit(limit));
  app.use("/forms/*", (c, next) =>
    bodyLimit({ maxSize: limit, onError: (c) => html(c, messagePage("Too large", `The form data is larger than ${limit} bytes.`), 413) })(
      c,
      next,
    ),
  );

  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/hooks/{key}",
    tags: ["Inbound hooks"],
    summary: "Deliver a signed event (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature over the raw body)",
    request: { params: z.object({ key: z.string() }), body: { content: { "application/json": { schema: z.unknown() } } } },
    responses: {
      200: {
        description: "Accepted (or the first result of a repeated webhook-id)",
        content: { "application/json": { schema: z.unknown() } },
      },
      401: { description: "Unsigned, forged, stale or tampered" },
      404: { description: "No such hook" },
      413: { description: "Body over the limit" },
      422: { description: "Mapped fields invalid; nothing written" },
      429: { description: "Over the hook's rate; see Retry-After" },
    },
  });
  app.post("/hooks/:key", async (c) => {
    const rawBody = await c.req.text();
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    try {
      const result = await receiver.receive({ key: c.req.param("key"), rawBody, headers, requestId: c.get("requestId") });
      return c.json(presentDelivery(result), 200);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      c.header("retry-after", String(error.retryAfterSeconds));
      return problem(c, "rate_limited", error.message);
    }
  });

  const withForm = async (c: Context<ApiEnv>, fn: () => Promise<Response>) => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError && error.kind === "not_found")
        return html(c, messagePage("Not found", "There is no form at this address."), 404);
      if (error instanceof RateLimitedError) {
        c.header("retry-after", String(error.retryAfterSeconds));
        return html(
          c,
          messagePage("Please wait a moment", `Too many submissions right now. Try again in ${error.retryAfterSeconds} seconds.`),
          429,
        );
      }
      throw error;
    }
  };

  const htmlPage = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });
  const formKey = { params: z.object({ key: z.string() }) };
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/forms/{key}",
    tags: ["Forms"],
    summary: "A hosted web form (public, HTML)",
    request: formKey,
    responses: { 200: htmlPage("The form"), 404: htmlPage("No such form") },
  });
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/forms/{key}",
    tags: ["Forms"],
    summary: "Submit a hosted web form (public; application/x-www-form-urlencoded or multipart/form-data)",
    request: {
      ...formKey,
      body: { content: { "application/x-www-form-urlencoded": { schema: z.record(z.string(), z.string()) } } },
    },
    responses: {
      303: { description: "Accepted: redirects to the form's thank-you page" },
      404: htmlPage("No such form"),
      415: htmlPage("Not a form encoding"),
      422: htmlPage("The form again, with the problems next to their fields"),
      429: htmlPage("Too many submissions; Retry-After says when to try again"),
    },
  });
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/forms/{key}/thanks",
    tags: ["Forms"],
    summary: "A hosted form's thank-you page (public, HTML)",
    request: formKey,
    responses: { 200: htmlPage("Thank you"), 404: htmlPage("No such form") },
  });
  app.get("/forms/:key", (c) =>
    withForm(c, async () => html(c, formPage(await submissions.form(c.req.param("key")), submissions.blank()))),
  );
  app.get("/forms/:key/thanks", (c) => withForm(c, async () => html(c, thanksPage(await submissions.form(c.req.param("key"))))));
  app.post("/forms/:key", (c) =>
    withForm(c, async () => {
      const key = c.req.param("key");
      const type = c.req.header("content-type") ?? "";
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
        return html(c, messagePage("Unsupported", "Send the form as application/x-www-form-urlencoded."), 415);
      }
      const parsed = await c.req.parseBody();
      const body: Record<string, string> = {};
      for (const [name, value] of Object.entries(parsed)) if (typeof value === "string") body[name] = value;
      const outcome = await submissions.submit(key, body, c.get("requestId"));
      if (outcome.kind === "invalid") return html(c, formPage(await submissions.form(key), outcome.state), 422);
      // Post/redirect/get: reloading the thank-you page does not submit again.
      return c.redirect(`/forms/${encodeURIComponent(key)}/thanks`, 303);
    }),
  );
}
