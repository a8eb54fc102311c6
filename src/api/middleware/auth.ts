/** Bearer API tokens → the call context (workspace, role, actor) of every /api request. */
import type { MiddlewareHandler } from "hono";
import type { TokenService } from "../../app/admin/tokens.js";
import type { ApiEnv } from "../env.js";
import { problem } from "../problem.js";

export function authenticate(tokens: TokenService): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      c.header("www-authenticate", 'Bearer realm="handoff"');
      return problem(c, "unauthorized", "send an API token as 'Authorization: Bearer hk_…' (create one with `handoff token create`)");
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
