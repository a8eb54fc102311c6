/**
 * The web session at the HTTP edge: the cookie's name and flags, the client's address, and the
 * CSRF check. The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure when the request came
 * over TLS (Handoff has no trusted-proxy setting, so `X-Forwarded-Proto` is never believed).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { SessionView } from "../app/auth/sessions.js";
import { problem } from "./problem.js";

export const SESSION_COOKIE = "handoff_session";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const incomingOf = (c: Context) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/** Whether the request reached this process over TLS. */
export function overTls(c: Context): boolean {
  return (incomingOf(c)?.socket as TLSSocket | undefined)?.encrypted === true;
}

/** The client's address as this process sees it (the peer of the connection). */
export function clientAddress(c: Context): string {
  return incomingOf(c)?.socket.remoteAddress ?? "unknown";
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function setSessionCookie(c: Context, secret: string, maxAgeSeconds: number) {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: Math.max(0, Math.round(maxAgeSeconds)),
    secure: overTls(c),
  });
}

export function clearSessionCookie(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: "Lax", path: "/", secure: overTls(c) });
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
