/**
 * The public ends of email tracking (issue 21; docs/scoring.md, "Email engagement tracking"),
 * outside the API: the person reading the email has no token of ours.
 *
 * - `GET /t/o/{token}`: the open pixel. Always the same 1×1 GIF, whatever the token — a wrong or
 *   forged one learns nothing, not even that it was wrong.
 * - `GET /t/c/{token}`: a tracked link. A genuine token naming one of its email's own links
 *   redirects (302) there; anything else gets a short 404 page and redirects nowhere — never an
 *   open redirect. A HEAD (a link checker's) redirects without recording a click.
 *
 * Recording is best-effort: if it fails, the pixel is still answered and the link still followed
 * (the failure is logged), since a person's click must not break on our bookkeeping.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Logger } from "pino";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";

/** A transparent 1×1 GIF (GIF89a, one palette entry, transparency on). */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const NOT_STORED = { "cache-control": "no-store, private", "referrer-policy": "no-referrer" };

function refused(c: Context) {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><meta name="viewport" content="width=device-width"><title>Link not valid</title></head><body style="font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em"><h1>Link not valid</h1><p>This link is not valid. Nothing was opened.</p></body></html>';
  return c.body(html, 404, { "content-type": "text/html; charset=utf-8", ...NOT_STORED });
}

export function emailTrackingRoutes(app: OpenAPIHono<ApiEnv>, services: Services, logger: Logger) {
  const reg = app.openAPIRegistry;
  reg.registerPath({
    method: "get",
    path: "/t/o/{token}",
    tags: ["Email"],
    summary: "The open pixel of a tracked email (public): always a 1×1 GIF; the first open of a message records email_opened",
    request: { params: z.object({ token: z.string() }) },
    responses: { 200: { description: "The pixel, whatever the token", content: { "image/gif": { schema: z.string() } } } },
  });
  app.get("/t/o/:token", async (c) => {
    try {
      await services.emailTracking.open(c.req.param("token"));
    } catch (error) {
      logger.error({ err: error, req_id: c.get("requestId") }, "recording an email open failed");
    }
    return c.body(new Uint8Array(PIXEL), 200, { "content-type": "image/gif", "content-length": String(PIXEL.length), ...NOT_STORED });
  });

  reg.registerPath({
    method: "get",
    path: "/t/c/{token}",
    tags: ["Email"],
    summary: "A tracked link of an email (public): 302 to the email's own link; the first click of each link records email_clicked",
    request: { params: z.object({ token: z.string() }) },
    responses: {
      302: { description: "To the link as the email carried it" },
      404: {
        description: "A forged, altered or unknown link: a short page, no redirect",
        content: { "text/html": { schema: z.string() } },
      },
    },
  });
  app.get("/t/c/:token", async (c) => {
    const token = c.req.param("token");
    let target: string | undefined;
    try {
      target = c.req.method === "HEAD" ? await services.emailTracking.target(token) : await services.emailTracking.click(token);
    } catch (error) {
      logger.error({ err: error, req_id: c.get("requestId") }, "recording an email click failed");
      target = await services.emailTracking.target(token);
    }
    if (target === undefined) return refused(c);
    return c.body(null, 302, { location: target, ...NOT_STORED });
  });
}
