/**
 * `Idempotency-Key` on POST and PATCH, with Stripe's semantics: the same key and the same
 * request replay the first response; the same key with another request → 422; while the first
 * is still running → 409. Keys are per workspace and survive restarts (they live in the store).
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Store } from "../../store/ports.js";
import type { ApiEnv } from "../env.js";
import { problem } from "../problem.js";

/** A claim not completed within this time is considered abandoned (its process died). */
const ABANDONED_AFTER_MS = 60_000;

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
    const body = await c.req.text();
    const fingerprint = createHash("sha256").update(`${c.req.method} ${c.req.path}\n`).update(body).digest("hex");
    const at = now();
    const claim = await store.claimIdempotencyKey(
      {
        workspaceId: call.workspaceId,
        key,
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
      if (existing.fingerprint !== fingerprint) {
        return problem(
          c,
          "idempotency_mismatch",
          "this Idempotency-Key was used with a different request; use a new key for a new request",
        );
      }
      if (existing.state === "running" || existing.status === null) {
        return problem(c, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed; retry later");
      }
      const stored = JSON.parse(existing.response ?? "{}") as { headers: Record<string, string>; body: string };
      return c.body(stored.body, existing.status as 200, { ...stored.headers, "idempotent-replayed": "true" });
    }
    if (claim.abandoned !== null) {
      // The first attempt's process died before answering. If its writes committed, doing the
      // work again would do it twice: answer with what it changed instead.
      const applied = await store.auditOfRequest(call.workspaceId, claim.abandoned, 100);
      if (applied.length > 0) {
        const records = [...new Set(applied.map((a) => `${a.object} ${a.recordId}`))].join(", ");
        const res = problem(
          c,
          "conflict",
          `the first request with this Idempotency-Key was applied before the server stopped (${records}); read those records instead of retrying`,
        );
        await store.completeIdempotencyKey(
          call.workspaceId,
          key,
          res.status,
          JSON.stringify({ headers: { "content-type": "application/problem+json" }, body: await res.clone().text() }),
        );
        return res;
      }
    }
    try {
      await next();
    } catch (error) {
      await store.releaseIdempotencyKey(call.workspaceId, key);
      throw error;
    }
    const res = c.res;
    if (res.status >= 500) {
      // Our failure is not the caller's answer: let them retry with the same key.
      await store.releaseIdempotencyKey(call.workspaceId, key);
      return;
    }
    const text = await res.clone().text();
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "etag", "location"]) {
      const v = res.headers.get(name);
      if (v) headers[name] = v;
    }
    await store.completeIdempotencyKey(call.workspaceId, key, res.status, JSON.stringify({ headers, body: text }));
  };
}
