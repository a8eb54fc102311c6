/**
 * `Idempotency-Key` on POST and PATCH, with Stripe's semantics: the same key and the same
 * request replay the first response; the same key with another request → 422; while the first
 * is still running → 409. Keys survive restarts (they live in the store).
 *
 * A key is its caller's: it is stored under (workspace, caller, key), so another token — even
 * an admin's — that sends the same key simply runs the route, whose own authorisation answers
 * it, and learns nothing about the first caller's use of the key. A stored response goes back
 * only to the caller who made the request, with the role it had then: the route authorised that
 * caller in that role, so the replay answers what the route answered. (A token's role is fixed and
 * a revoked token fails authentication before this runs; a web session whose role changed is refused.)
 *
 * Secrets shown once (marked by the route with `showOnce`) are never stored: the kept copy and
 * every replay have them removed, with a `secret_withheld` note.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { IdempotencyScope, Store } from "../../store/ports.js";
import type { ApiEnv } from "../env.js";
import { problem } from "../problem.js";
import { withholdSecrets } from "../shown-once.js";

/** A claim not completed within this time is considered abandoned (its process died). */
const ABANDONED_AFTER_MS = 60_000;

/** What makes two requests "the same request" under one key. */
export interface FingerprintParts {
  method: string;
  path: string;
  /** The raw query string with its `?`, or "" (`?dry_run=1` is another request). */
  query: string;
  caller: string;
  body: string;
}

export function requestFingerprint(r: FingerprintParts): string {
  return createHash("sha256").update(`${r.method} ${r.path}${r.query}\n${r.caller}\n`).update(r.body).digest("hex");
}

interface StoredResponse {
  headers: Record<string, string>;
  body: string;
}

export function idempotency(store: Store, now: () => Date): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined || (c.req.method !== "POST" && c.req.method !== "PATCH")) return next();
    if (key.length < 1 || key.length > 255) {
      return problem(c, "bad_request", "Idempotency-Key must be 1–255 characters", [
        { path: ["Idempotency-Key"], code: "invalid_value", message: "1–255 characters" },
      ]);
    }
    const call = c.get("call");
    const scope: IdempotencyScope = { workspaceId: call.workspaceId, caller: c.get("caller"), key };
    const body = await c.req.text();
    const fingerprint = requestFingerprint({
      method: c.req.method,
      path: c.req.path,
      query: new URL(c.req.url).search,
      caller: scope.caller,
      body,
    });
    const at = now();
    const claim = await store.idempotency.claimIdempotencyKey(
      {
        ...scope,
        callerRole: call.role,
        fingerprint,
        state: "running",
        status: null,
        response: null,
        createdAt: at.toISOString(),
        requestId: call.requestId,
      },
      new Date(at.getTime() - ABANDONED_AFTER_MS).toISOString(),
    );
    if (!claim.claimed) {
      const existing = claim.existing;
      if (existing.callerRole !== call.role) {
        // The route authorised the first request for the role the caller had then.
        return problem(
          c,
          "idempotency_mismatch",
          `your role changed (${existing.callerRole} → ${call.role}) since this Idempotency-Key was first used; use a new key`,
        );
      }
      if (existing.fingerprint !== fingerprint) {
        return problem(
          c,
          "idempotency_mismatch",
          "this Idempotency-Key was used with a different request (method, path, query or body); use a new key for a new request",
        );
      }
      if (existing.state === "running" || existing.status === null) {
        return problem(c, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed; retry later");
      }
      const stored = JSON.parse(existing.response ?? "{}") as StoredResponse;
      return c.body(stored.body, existing.status as 200, { ...stored.headers, "idempotent-replayed": "true" });
    }
    if (claim.abandoned !== null) {
      // The first attempt's process died before answering. If its writes committed, doing the
      // work again would do it twice: answer with what it changed instead.
      const applied = await store.audit.auditOfRequest(call.workspaceId, claim.abandoned, 100);
      if (applied.length > 0) {
        const records = [...new Set(applied.map((a) => `${a.object} ${a.recordId}`))].join(", ");
        const res = problem(
          c,
          "conflict",
          `the first request with this Idempotency-Key was applied before the server stopped (${records}); read those records instead of retrying`,
        );
        await store.idempotency.completeIdempotencyKey(
          scope,
          res.status,
          JSON.stringify({ headers: { "content-type": "application/problem+json" }, body: await res.clone().text() }),
        );
        return res;
      }
    }
    try {
      await next();
    } catch (error) {
      await store.idempotency.releaseIdempotencyKey(scope);
      throw error;
    }
    const res = c.res;
    if (res.status >= 500) {
      // Our failure is not the caller's answer: let them retry with the same key.
      await store.idempotency.releaseIdempotencyKey(scope);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "etag", "location"]) {
      const v = res.headers.get(name);
      if (v) headers[name] = v;
    }
    let text = await res.clone().text();
    const shownOnce = c.get("shownOnce") ?? [];
    if (shownOnce.length > 0) {
      // Kept without the secret: the store never holds it, and a replay says it was withheld.
      const kept = withholdSecrets(text, shownOnce);
      text = kept.body;
      if (kept.withheld.length > 0) headers["idempotent-secret-withheld"] = kept.withheld.join(", ");
    }
    await store.idempotency.completeIdempotencyKey(scope, res.status, JSON.stringify({ headers, body: text } satisfies StoredResponse));
  };
}
