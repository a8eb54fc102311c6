/**
 * Signing in to the web app (`/api/v1/session`, before authentication: it is how a session
 * starts) and what admins do with users' passwords and sessions (after it).
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { SessionService, SessionView } from "../../app/auth/sessions.js";
import type { Services } from "../../composition/root.js";
import { ROLES } from "../../crm/objects.js";
import type { WebSession } from "../../store/ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { problem } from "../problem.js";
import { jsonBody } from "../request.js";
import { clearSessionCookie, clientAddress, csrfRefusal, sessionCookie, setSessionCookie } from "../session-cookie.js";

const sessionOut = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES) }),
  workspace: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  csrf_token: z.string().describe("Send it as X-CSRF-Token on every request that is not GET, HEAD or OPTIONS"),
  expires_at: z.string().describe("When the session ends if it is not used again"),
});

const present = (v: SessionView) => ({
  user: v.user,
  workspace: v.workspace,
  csrf_token: v.csrfToken,
  expires_at: v.expiresAt,
});

const presentSession = (s: WebSession, now: number, idleMs: number) => ({
  id: s.id,
  user_id: s.userId,
  created_at: s.createdAt,
  last_seen_at: s.lastSeenAt,
  expires_at: s.expiresAt,
  revoked_at: s.revokedAt,
  live: s.revokedAt === null && now < Date.parse(s.expiresAt) && now < Date.parse(s.lastSeenAt) + idleMs,
});

/** Sign in, who am I, sign out: public routes, each reading the cookie itself. */
export function sessionRoutes(app: OpenAPIHono<ApiEnv>, sessions: SessionService, services: Services) {
  const reg = app.openAPIRegistry;
  const noStore = { "cache-control": "no-store" };

  reg.registerPath({
    method: "post",
    path: "/api/v1/session",
    tags: ["Session"],
    summary: "Sign in with email and password: sets the session cookie (a new one every time)",
    request: {
      body: json(z.object({ email: z.string(), password: z.string(), workspace: z.string().optional().describe("A workspace's slug") })),
    },
    responses: {
      200: { description: "Signed in; Set-Cookie: handoff_session=…; HttpOnly; SameSite=Lax; Path=/", ...json(sessionOut) },
      400: problemJson("The email signs in to several workspaces: name one (`workspace`)"),
      401: problemJson("Email or password is wrong (which one is never said)"),
      422: problemJson("Invalid body"),
      429: problemJson("Too many failed sign-ins; Retry-After says when to try again"),
    },
  });
  app.post("/api/v1/session", async (c) => {
    const body = await jsonBody(c);
    const result = await sessions.signIn(body, clientAddress(c), sessionCookie(c));
    if (result.kind === "rate_limited") {
      c.header("retry-after", String(result.retryAfterSeconds));
      return problem(c, "rate_limited", `too many failed sign-ins: try again in ${result.retryAfterSeconds} s`);
    }
    const maxAge = (Date.parse(result.view.session.expiresAt) - services.clock.now().getTime()) / 1000;
    setSessionCookie(c, result.secret, maxAge);
    return c.json(present(result.view), 200, noStore);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/session",
    tags: ["Session"],
    security: [{ session: [] }],
    summary: "The signed-in user, workspace and CSRF token of the session cookie",
    responses: { 200: { description: "Signed in", ...json(sessionOut) }, 401: problemJson("No live session") },
  });
  app.get("/api/v1/session", async (c) => {
    const view = await sessions.resume(sessionCookie(c));
    if (!view) return problem(c, "unauthorized", "not signed in, or the session has ended");
    return c.json(present(view), 200, noStore);
  });

  reg.registerPath({
    method: "delete",
    path: "/api/v1/session",
    tags: ["Session"],
    security: [{ session: [] }],
    summary: "Sign out: revokes the session and clears the cookie (send X-CSRF-Token)",
    responses: {
      204: { description: "Signed out" },
      401: problemJson("No live session"),
      403: problemJson("X-CSRF-Token missing or wrong"),
    },
  });
  app.delete("/api/v1/session", async (c) => {
    const view = await sessions.resume(sessionCookie(c));
    if (!view) return problem(c, "unauthorized", "not signed in, or the session has ended");
    const refusal = csrfRefusal(c, view);
    if (refusal) return refusal;
    await sessions.signOut(view);
    clearSessionCookie(c);
    return c.body(null, 204);
  });
}

/** Admins: set a user's password, list a user's sessions, revoke one. */
export function userSessionRoutes(app: OpenAPIHono<ApiEnv>, services: Services, idleMs: number) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const sessionItem = z.object({
    id: z.string(),
    user_id: z.string(),
    created_at: z.string(),
    last_seen_at: z.string(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    live: z.boolean(),
  });

  reg.registerPath({
    method: "put",
    path: "/api/v1/users/{id}/password",
    tags: ["Session"],
    security,
    summary: "Set or reset a user's password (admin); revokes the user's sessions",
    request: { params: z.object({ id: z.string() }), body: json(z.object({ password: z.string().min(12).max(1024) })) },
    responses: {
      200: { description: "Set", ...json(z.object({ user_id: z.string(), revoked_sessions: z.number().int() })) },
      404: problemJson("No such user in the workspace (or the caller is not an admin)"),
      422: problemJson("The password is too short, too long or not text"),
    },
  });
  app.put("/api/v1/users/:id/password", async (c) => {
    const id = c.req.param("id");
    const body = (await jsonBody(c)) as { password?: unknown } | null;
    const password = typeof body === "object" && body !== null && !Array.isArray(body) ? body.password : undefined;
    const { revokedSessions } = await services.credentials.setPassword(c.get("call"), id, password);
    return c.json({ user_id: id, revoked_sessions: revokedSessions });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/users/{id}/sessions",
    tags: ["Session"],
    security,
    summary: "A user's sessions, newest first (admin); ids only, never the cookie",
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: "Sessions", ...json(z.object({ data: z.array(sessionItem) })) }, 404: problemJson("No such user") },
  });
  app.get("/api/v1/users/:id/sessions", async (c) => {
    const list = await services.credentials.listSessions(c.get("call"), c.req.param("id"));
    const now = services.clock.now().getTime();
    return c.json({ data: list.map((s) => presentSession(s, now, idleMs)) });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/sign-ins",
    tags: ["Session"],
    security,
    summary: "When each user of the workspace last signed in and was last seen (admin); users who never signed in are absent",
    responses: {
      200: {
        description: "Per user",
        ...json(z.object({ data: z.array(z.object({ user_id: z.string(), last_sign_in_at: z.string(), last_seen_at: z.string() })) })),
      },
      404: problemJson("The caller is not an admin"),
    },
  });
  app.get("/api/v1/sign-ins", async (c) => {
    const list = await services.credentials.lastSignIns(c.get("call"));
    return c.json({ data: list.map((x) => ({ user_id: x.userId, last_sign_in_at: x.lastSignInAt, last_seen_at: x.lastSeenAt })) });
  });

  reg.registerPath({
    method: "delete",
    path: "/api/v1/sessions/{id}",
    tags: ["Session"],
    security,
    summary: "Revoke a session (admin)",
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: "Revoked" }, 404: problemJson("No such live session") },
  });
  app.delete("/api/v1/sessions/:id", async (c) => {
    await services.credentials.revokeSession(c.get("call"), c.req.param("id"));
    return c.body(null, 204);
  });
}
