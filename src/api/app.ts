/**
 * The HTTP edge: Request → Response. Middleware order matters: request id and logging first,
 * then the size limit (413 before the body is buffered), auth, idempotency, routes.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { SessionService } from "../app/auth/sessions.js";
import { SignInLimiter } from "../app/auth/sign-in-limiter.js";
import { AppError } from "../app/errors.js";
import type { Config } from "../composition/config.js";
import type { Services } from "../composition/root.js";
import { TrustedProxies } from "../composition/trusted-proxies.js";
import { jsonBodyLimit } from "./body-limit.js";
import { identifyClient } from "./client.js";
import type { ApiEnv } from "./env.js";
import { authenticate } from "./middleware/auth.js";
import { idempotency } from "./middleware/idempotency.js";
import { problem } from "./problem.js";
import { checkUrlText } from "./request.js";
import { adminRoutes } from "./routes/admin.js";
import { aiModelRoutes } from "./routes/ai-models.js";
import { aiPredictionRoutes } from "./routes/ai-predictions.js";
import { approvalLinkRoutes } from "./routes/approval-links.js";
import { approvalRoutes } from "./routes/approvals.js";
import { calendarRoutes } from "./routes/calendars.js";
import { connectorRoutes } from "./routes/connectors.js";
import { dataQualityRuleRoutes } from "./routes/data-quality-rules.js";
import { emailRoutes } from "./routes/email.js";
import { emailTrackingRoutes } from "./routes/email-tracking.js";
import { inboundAdminRoutes } from "./routes/inbound-admin.js";
import { inboundPublicRoutes } from "./routes/inbound-public.js";
import { kpiRoutes } from "./routes/kpis.js";
import { matchRuleRoutes } from "./routes/match-rules.js";
import { mergeRoutes } from "./routes/merges.js";
import { metricsRoutes } from "./routes/metrics.js";
import { notificationRoutes } from "./routes/notifications.js";
import { outboxRoutes } from "./routes/outbox.js";
import { recipeRoutes } from "./routes/recipes.js";
import { recordRoutes } from "./routes/records.js";
import { reviewQueueRoutes } from "./routes/review-queue.js";
import { routingRoutes } from "./routes/routing.js";
import { scoringRoutes } from "./routes/scoring.js";
import { sessionRoutes, userSessionRoutes } from "./routes/session.js";
import { slaRoutes } from "./routes/sla.js";
import { statusRuleRoutes } from "./routes/status-rules.js";
import { workflowPreviewRoutes } from "./routes/workflow-preview.js";
import { workflowReplayRoutes } from "./routes/workflow-replay.js";
import { workflowReviewRoutes } from "./routes/workflow-reviews.js";
import { workflowStepCountRoutes } from "./routes/workflow-step-counts.js";
import { workflowTestRoutes } from "./routes/workflow-tests.js";
import { workflowRoutes } from "./routes/workflows.js";
import { DEFAULT_WEB_DIST, webAppRoutes } from "./web-app.js";

export type AppConfig = Pick<
  Config,
  | "bodyLimitBytes"
  | "importLimitBytes"
  | "sessionIdleSeconds"
  | "sessionMaxSeconds"
  | "signInFailuresPerEmail"
  | "signInFailuresPerIp"
  | "signInWindowSeconds"
  | "metricsToken"
  | "trustedProxies"
>;

export interface AppOptions {
  /** The web app's build, served at `/` (default web/dist of this checkout). */
  webDist?: string;
}

export function createApp(services: Services, config: AppConfig, logger: Logger, options: AppOptions = {}) {
  const app = new OpenAPIHono<ApiEnv>();
  // The sign-in limiter counts failures in this process's memory (docs/security.md).
  const limiter = new SignInLimiter(
    { perEmail: config.signInFailuresPerEmail, perIp: config.signInFailuresPerIp, windowMs: config.signInWindowSeconds * 1000 },
    () => services.clock.now().getTime(),
  );
  const policy = { idleMs: config.sessionIdleSeconds * 1000, maxMs: config.sessionMaxSeconds * 1000 };
  const sessions = new SessionService(services.store, services.clock, services.ids, limiter, policy);
  // Who the client is, once per request, before anything that counts or answers by it.
  app.use("*", identifyClient(new TrustedProxies(config.trustedProxies)));

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    c.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    logger.info(
      {
        req_id: requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });

  // An answer given before the request's body was read (401, 404, 413 …) ends the connection
  // and says so (RFC 9112 §9.6): the rest of the body is still on its way, and the server gives
  // up draining it after a while, which would break the client's next request on a reused
  // keep-alive connection.
  app.use("*", async (c, next) => {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const hasBody = Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding") !== undefined;
    if (incoming && hasBody && !incoming.readableEnded) c.header("connection", "close");
  });

  // The text rule (docs/security.md): a NUL or lone surrogate in the URL is refused before any
  // route reads a parameter, so no store ever sees one — on the API after authentication (a
  // caller without a token learns nothing but 401), on the public routes before them.
  const urlText: MiddlewareHandler<ApiEnv> = async (c, next) => {
    checkUrlText(c);
    await next();
  };
  app.use("*", async (c, next) => (c.req.path.startsWith("/api/v1/") ? next() : urlText(c, next)));

  // Imports are CSV files and get the larger limit; every other body the JSON one.
  app.use("/api/v1/*", (c, next) =>
    jsonBodyLimit(c.req.path.endsWith("/import") ? config.importLimitBytes : config.bodyLimitBytes)(c, next),
  );

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/health",
    tags: ["Operations"],
    summary: "Liveness and store reachability (public)",
    responses: {
      200: {
        description: "The store answers",
        content: { "application/json": { schema: z.object({ status: z.literal("ok"), store: z.string() }) } },
      },
      503: {
        description: "The store does not answer",
        content: { "application/json": { schema: z.object({ status: z.literal("unavailable"), store: z.string() }) } },
      },
    },
  });
  app.get("/health", async (c) => {
    try {
      await services.store.workspaces.getWorkspaceBySlug("-health-check-");
      return c.json({ status: "ok", store: services.store.dialect });
    } catch (error) {
      logger.error({ err: error }, "health check failed");
      return c.json({ status: "unavailable", store: services.store.dialect }, 503);
    }
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API token: hk_…" });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "handoff_session",
    description:
      "The web session cookie set by POST /api/v1/session. Every request it authenticates that is not GET, HEAD or OPTIONS must also send the session's csrf_token as the X-CSRF-Token header (403 otherwise).",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Handoff API",
      version: "1",
      description: "CRM records, their audit trail and domain events. Errors are application/problem+json.",
    },
  });

  // The operators' metrics: their own bearer token, not a workspace's credential (routes/metrics.ts).
  metricsRoutes(app, services, config.metricsToken, logger);

  // Public, unauthenticated: hooks verify signatures, forms are for anyone (with their own body limit).
  inboundPublicRoutes(app, services, config);
  // Email approval links: the token in the body is the credential (single-use, expiring).
  approvalLinkRoutes(app, services, config);
  // Email tracking: the open pixel and tracked links, signed tokens in the path.
  emailTrackingRoutes(app, services, logger);

  // Signing in is how a session starts: before authentication, each route reading the cookie itself.
  sessionRoutes(app, sessions, services);

  app.use("/api/v1/*", authenticate(services.tokens, sessions));
  app.use("/api/v1/*", urlText);
  app.use(
    "/api/v1/*",
    idempotency(services.store, () => services.clock.now()),
  );
  workflowRoutes(app, services);
  workflowTestRoutes(app, services);
  workflowReplayRoutes(app, services);
  workflowReviewRoutes(app, services);
  reviewQueueRoutes(app, services);
  workflowStepCountRoutes(app, services);
  workflowPreviewRoutes(app, services);
  notificationRoutes(app, services);
  slaRoutes(app, services);
  scoringRoutes(app, services);
  kpiRoutes(app, services);
  dataQualityRuleRoutes(app, services);
  statusRuleRoutes(app, services);
  approvalRoutes(app, services);
  routingRoutes(app, services);
  calendarRoutes(app, services);
  mergeRoutes(app, services);
  matchRuleRoutes(app, services, logger);
  aiModelRoutes(app, services);
  aiPredictionRoutes(app, services);
  recordRoutes(app, services);
  adminRoutes(app, services);
  userSessionRoutes(app, services, policy.idleMs);
  connectorRoutes(app, services);
  outboxRoutes(app, services);
  emailRoutes(app, services);
  inboundAdminRoutes(app, services);
  recipeRoutes(app, services);
  // Last: the web app answers the GETs no server route took (never under a server path).
  webAppRoutes(app, options.webDist ?? DEFAULT_WEB_DIST);

  app.notFound((c) => problem(c, "not_found", `no route ${c.req.method} ${c.req.path}; see /openapi.json`));
  app.onError((error, c) => {
    if (error instanceof AppError) return problem(c, error.kind, error.message, error.issues);
    if (error instanceof HTTPException && error.status < 500) {
      return problem(c, error.status === 413 ? "payload_too_large" : "bad_request", error.message);
    }
    logger.error({ err: error, req_id: c.get("requestId") }, "unhandled error");
    return problem(c, "internal", "something went wrong on our side; the request id is in the logs");
  });
  return app;
}
