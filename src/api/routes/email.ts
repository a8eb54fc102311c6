/**
 * The email suppression list (`/api/v1/email-suppressions`) and the public unsubscribe page
 * (`/unsubscribe/{token}`, outside the API: the person following it has no token of ours).
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Services } from "../../composition/root.js";
import type { EmailSuppression } from "../../store/suppression-ports.js";
import type { ApiEnv } from "../env.js";
import { intParam, jsonBody } from "../request.js";

const present = (s: EmailSuppression) => ({ email: s.email, reason: s.reason, detail: s.detail, created_at: s.createdAt });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** A plain page: no workspace name, no branding, nothing a wrong link could learn from. */
function page(c: Context, status: 200 | 404, title: string, body: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return c.body(html, status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
  });
}

const notFoundPage = (c: Context) => page(c, 404, "Link not valid", "<p>This unsubscribe link is not valid.</p>");

export function emailRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const suppression = z.object({
    email: z.string(),
    reason: z.enum(["bounce", "unsubscribe", "manual"]),
    detail: z.string().nullable(),
    created_at: z.string(),
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/email-suppressions",
    tags: ["Email"],
    security,
    summary: "Addresses this workspace does not email (bounced, unsubscribed, or added by hand), in address order",
    request: { query: z.object({ limit: z.string().optional(), after: z.string().optional() }) },
    responses: {
      200: { description: "Suppressions", ...json(z.object({ data: z.array(suppression), next_after: z.string().nullable() })) },
    },
  });
  app.get("/api/v1/email-suppressions", async (c) => {
    const limit = intParam(c, "limit") ?? 100;
    const data = await services.suppressions.list(c.get("call"), limit, c.req.query("after"));
    return c.json({ data: data.map(present), next_after: data.length >= limit ? (data.at(-1)?.email ?? null) : null });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/email-suppressions",
    tags: ["Email"],
    security,
    summary: "Suppress an address (admin, manager); bounce and unsubscribe also mark its leads and contacts",
    request: {
      body: json(
        z.object({ email: z.string(), reason: z.enum(["bounce", "unsubscribe", "manual"]).optional(), detail: z.string().optional() }),
      ),
    },
    responses: {
      201: { description: "Suppressed", ...json(suppression) },
      200: { description: "Already suppressed (the first reason stays)", ...json(suppression) },
      422: { description: "Invalid" },
    },
  });
  app.post("/api/v1/email-suppressions", async (c) => {
    const { created, suppression: s } = await services.suppressions.add(c.get("call"), await jsonBody(c));
    return c.json(present(s), created ? 201 : 200);
  });

  reg.registerPath({
    method: "delete",
    path: "/api/v1/email-suppressions/{email}",
    tags: ["Email"],
    security,
    summary: "Lift a suppression (admin, manager); its leads and contacts become valid again",
    request: { params: z.object({ email: z.string() }) },
    responses: { 204: { description: "Removed" }, 404: { description: "Not suppressed" } },
  });
  app.delete("/api/v1/email-suppressions/:email", async (c) => {
    await services.suppressions.remove(c.get("call"), c.req.param("email"));
    return c.body(null, 204);
  });

  // Opening the link asks; only the POST unsubscribes. Mail scanners open (GET) every link in a
  // message, and must not unsubscribe people by doing so. The POST is also RFC 8058's one-click.
  const htmlPage = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });
  for (const method of ["get", "post"] as const)
    reg.registerPath({
      method,
      path: "/unsubscribe/{token}",
      tags: ["Email"],
      summary:
        method === "get"
          ? "The unsubscribe page of an email's link (public, HTML): asks, does not unsubscribe"
          : "Unsubscribe (public, HTML; also RFC 8058 one-click List-Unsubscribe-Post)",
      request: { params: z.object({ token: z.string() }) },
      responses: { 200: htmlPage(method === "get" ? "Asks to confirm" : "Unsubscribed"), 404: htmlPage("Unknown or forged token") },
    });
  app.get("/unsubscribe/:token", async (c) => {
    const subject = await services.suppressions.checkToken(c.req.param("token"));
    if (!subject) return notFoundPage(c);
    return page(
      c,
      200,
      "Unsubscribe",
      `<p>Stop emails to <strong>${escapeHtml(subject.email)}</strong>?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    );
  });
  app.post("/unsubscribe/:token", async (c) => {
    const done = await services.suppressions.unsubscribe(c.req.param("token"));
    if (!done) return notFoundPage(c);
    return page(c, 200, "Unsubscribed", `<p><strong>${escapeHtml(done.email)}</strong> will not receive these emails any more.</p>`);
  });
}
