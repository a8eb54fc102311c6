/**
 * The web session at the HTTP edge: the cookie's name and flags, the client's address, and the
 * CSRF check. The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure when the client used
 * HTTPS: the connection was TLS, or a trusted proxy said so in `X-Forwarded-Proto` (client.ts).
 */
import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { SessionView } from "../app/auth/sessions.js";
import { client } from "./client.js";
import type { ApiEnv } from "./env.js";
import { problem } from "./problem.js";

export const SESSION_COOKIE = "handoff_session";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The client's address: the connection's peer, or behind a trusted proxy the address it forwarded for. */
export function clientAddress(c: Context<ApiEnv>): string {
  return client(c).address;
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function setSessionCookie(c: Context<ApiEnv>, secret: string, maxAgeSeconds: number) {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: Math.max(0, Math.round(maxAgeSeconds)),
    secure: client(c).https,
  });
}

export function clearSessionCookie(c: Context<ApiEnv>) {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: "Lax", path: "/", secure: client(c).https });
}

/**
 * A cookie-authenticated request that may change state must carry the session's CSRF token in
 * `X-CSRF-Token` (compared in constant time): the 403 problem when it does not, else undefined.
 */
export function csrfRefusal(c: Context, view: SessionView): Response | undefined {
  if (SAFE_METHODS.has(c.req.method)) return undefined;
  const sent = c.req.header(CSRF_HEADER);
  const a = Buffer.from(sent ?? "");
  const b = Buffer.from(view.csrfToken);
  if (sent !== undefined && a.length === b.length && timingSafeEqual(a, b)) return undefined;
  return problem(c, "forbidden", "a request signed in by the session cookie must send the session's csrf_token in X-CSRF-Token", [
    {
      path: ["X-CSRF-Token"],
      code: sent === undefined ? "required" : "invalid_value",
      message:
        sent === undefined ? "missing: send the csrf_token from POST or GET /api/v1/session" : "does not match this session's csrf_token",
    },
  ]);
}
