/**
 * `GET /metrics`: the operators' Prometheus endpoint (docs/operations.md), outside the API.
 *
 * The figures span every workspace of the installation, so no workspace's credential opens them
 * (an admin of one workspace must not read another's workflow keys and counts): only the
 * operator's own bearer token, HANDOFF_METRICS_TOKEN. Without one configured the endpoint is
 * off (404, saying how to turn it on); with one, a request without it or with another gets 401.
 * The token is compared by its SHA-256 digest in constant time, so neither its content nor its
 * length shows in the answer's timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { problemJson } from "../openapi/doc.js";
import { problem } from "../problem.js";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Whether `sent` is the configured token, in time that depends on neither. */
export function isMetricsToken(expected: string, sent: string): boolean {
  return timingSafeEqual(digest(expected), digest(sent));
}

export function metricsRoutes(app: OpenAPIHono<ApiEnv>, services: Pick<Services, "metrics">, token: string | undefined, logger: Logger) {
  app.openAPIRegistry.registerComponent("securitySchemes", "metricsToken", {
    type: "http",
    scheme: "bearer",
    description: "The operator's metrics token: the value of HANDOFF_METRICS_TOKEN",
  });
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/metrics",
    tags: ["Operations"],
    summary: "Operational figures for Prometheus (operators only): runs by workflow and status, outbox depth, matcher and work lag",
    security: [{ metricsToken: [] }],
    responses: {
      200: {
        description: "The Prometheus text exposition format (version 0.0.4)",
        content: { "text/plain": { schema: z.string() } },
      },
      401: problemJson("No token, or not the metrics token"),
      404: problemJson("Metrics are off: HANDOFF_METRICS_TOKEN is not set"),
      503: problemJson("The store did not answer: the scrape fails (Prometheus's `up` is 0) rather than serving stale figures"),
    },
  });
  app.get("/metrics", async (c) => {
    if (token === undefined) {
      return problem(
        c,
        "not_found",
        "metrics are off: set HANDOFF_METRICS_TOKEN (32 characters or more) and scrape with 'Authorization: Bearer <that token>' (docs/operations.md)",
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) {
      c.header("www-authenticate", 'Bearer realm="handoff-metrics"');
      return problem(c, "unauthorized", "send the metrics token (HANDOFF_METRICS_TOKEN) as 'Authorization: Bearer …'");
    }
    if (!isMetricsToken(token, match[1])) {
      c.header("www-authenticate", 'Bearer realm="handoff-metrics", error="invalid_token"');
      return problem(
        c,
        "unauthorized",
        "that is not the metrics token (HANDOFF_METRICS_TOKEN); API tokens and sessions do not open /metrics",
      );
    }
    let body: string;
    try {
      body = await services.metrics.scrape();
    } catch (error) {
      logger.error({ err: error, req_id: c.get("requestId") }, "reading the operational figures failed");
      return problem(c, "unavailable", "the store did not answer while reading the figures; the request id is in the logs");
    }
    return c.body(body, 200, { "content-type": services.metrics.contentType, "cache-control": "no-store" });
  });
}
