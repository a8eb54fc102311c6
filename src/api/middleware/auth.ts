/**
 * Who is calling, for every /api/v1 request: a Bearer API token, or else the web session cookie.
 * A token's call has the token's role; a session's call has its user's `role` as read on this
 * request (a deleted user or a changed role is seen at once), as the person, caller `user:<id>`.
 * A session's state-changing requests must carry its CSRF token (session-cookie.ts); a Bearer
 * request needs none (a browser never adds an Authorization header by itself).
 */
import type { MiddlewareHandler } from "hono";
import type { TokenService } from "../../app/admin/tokens.js";
import { SessionService } from "../../app/auth/sessions.js";
import type { ApiEnv } from "../env.js";
import { problem } from "../problem.js";
import { csrfRefusal, sessionCookie } from "../session-cookie.js";

export function authenticate(tokens: TokenService, sessions: SessionService): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const cookie = header === undefined ? sessionCookie(c) : undefined;
    if (cookie !== undefined) {
      const view = await sessions.resume(cookie);
      if (!view) return problem(c, "unauthorized", "the session has ended or is unknown: sign in again (POST /api/v1/session)");
      const refusal = csrfRefusal(c, view);
      if (refusal) return refusal;
      c.set("call", SessionService.callOf(view, c.get("requestId")));
      // The user, not the session: a stored idempotent response goes back to this user only.
      c.set("caller", `user:${view.user.id}`);
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
    if (!match?.[1]) {
      c.header("www-authenticate", 'Bearer realm="handoff"');
      return problem(
        c,
        "unauthorized",
        "send an API token as 'Authorization: Bearer hk_…' (create one with `handoff token create`), or sign in (POST /api/v1/session)",
      );
    }
    const token = await tokens.authenticate(match[1]);
    if (!token) {
      c.header("www-authenticate", 'Bearer realm="handoff", error="invalid_token"');
      return problem(c, "unauthorized", "the API token is unknown or revoked");
    }
    c.set("call", {
      workspaceId: token.workspaceId,
      role: token.role,
      actor: { kind: token.role === "integration" ? "integration" : "person", id: token.userId ?? token.id },
      requestId: c.get("requestId"),
      causeId: null,
    });
    // The token, not its user or role: a stored idempotent response goes back to this token only.
    c.set("caller", `token:${token.id}`);
    await next();
  };
}
