/**
 * The HTTP deliverer against a real receiver: how it authenticates (bearer, basic, HMAC over
 * `timestamp.body`), the headers every attempt carries, and how it classifies what comes back.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxItem, ResolvedConnector } from "../../src/connectors/contract.js";
import { EgressGuard } from "../../src/connectors/egress/guard.js";
import { httpDeliverer } from "../../src/connectors/http/http-deliverer.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

const NOW = Date.parse("2026-05-01T12:00:00Z");
let rx: Receiver;
let guard: EgressGuard;
const signal = new AbortController().signal;

const item = (payload: Record<string, unknown>): OutboxItem => ({
  workspaceId: "ws",
  id: "ob1",
  key: "run1:call:2",
  kind: "http",
  connector: "api",
  subscriptionId: null,
  runId: "run1",
  recordId: "r1",
  payload: { method: "POST", path: "/hook", ...payload },
  status: "pending",
  attempts: 1,
  nextAttemptAt: "",
  lastError: null,
  createdAt: "",
  updatedAt: "",
});
const connector = (config: Record<string, unknown>, secrets: Record<string, string> = {}): ResolvedConnector => ({
  id: "c1",
  key: "api",
  kind: "http",
  config: { base_url: `${rx.url}/v1/`, ...config },
  secrets,
});

beforeAll(async () => {
  rx = await startReceiver();
  guard = new EgressGuard({ allow: [`127.0.0.1:${rx.port}`] });
});
afterAll(async () => {
  await rx?.close();
});

describe("http deliverer", () => {
  const d = () => httpDeliverer({ guard, now: () => NOW });

  it("sends base_url + path with connector and action headers, the Idempotency-Key and basic auth", async () => {
    rx.script("/v1/hook", () => ({ status: 201, body: { id: 7 } }));
    const outcome = await d().deliver(
      item({ body: '{"a":1}', headers: { "content-type": "application/json", "x-action": "yes" } }),
      connector({ headers: { "X-Team": "ops" }, auth: { type: "basic", username: "svc" } }, { password: "pw-123456" }),
      { attempt: 1, signal },
    );
    expect(outcome).toEqual({ ok: true, status: 201, detail: "HTTP 201", response: { id: 7 } });
    const req = rx.to("/v1/hook").at(-1);
    expect(req).toMatchObject({ method: "POST", path: "/v1/hook", body: '{"a":1}' });
    expect(req?.headers).toMatchObject({
      "idempotency-key": "run1:call:2",
      "x-team": "ops",
      "x-action": "yes",
      authorization: `Basic ${Buffer.from("svc:pw-123456").toString("base64")}`,
    });
  });

  it("signs timestamp.body with HMAC-SHA256 in the configured header", async () => {
    rx.script("/v1/signed", () => ({ status: 204 }));
    const outcome = await d().deliver(
      item({ path: "/signed", body: "hello" }),
      connector({ auth: { type: "hmac", header: "X-Signature" } }, { hmac_secret: "shh-secret" }),
      { attempt: 1, signal },
    );
    expect(outcome.ok).toBe(true);
    const ts = NOW / 1000;
    const mac = createHmac("sha256", "shh-secret").update(`${ts}.hello`).digest("hex");
    expect(rx.to("/v1/signed").at(-1)?.headers["x-signature"]).toBe(`t=${ts},v1=${mac}`);
  });

  it("classifies 408/429/5xx as retryable with Retry-After, other 4xx as permanent", async () => {
    rx.script("/v1/s/", (req) => {
      const status = Number(req.path.split("/").at(-1));
      return {
        status,
        headers: status === 503 ? { "retry-after": "Fri, 01 May 2026 12:00:30 GMT" } : { "retry-after": "7" },
        body: "nope",
      };
    });
    const at = async (status: number) => d().deliver(item({ path: `/s/${status}` }), connector({}), { attempt: 1, signal });
    expect(await at(408)).toEqual({ ok: false, retryable: true, status: 408, error: "HTTP 408: nope", retryAfterMs: 7_000 });
    expect(await at(429)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7_000 });
    expect(await at(503)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 });
    expect(await at(404)).toEqual({ ok: false, retryable: false, status: 404, error: "HTTP 404: nope" });
    expect(await at(422)).toMatchObject({ retryable: false });
  });

  it("is permanent for a refused destination, an oversized answer and a missing secret; retryable for a timeout", async () => {
    const refused = await httpDeliverer({ guard: new EgressGuard({ allow: [] }), now: () => NOW }).deliver(item({}), connector({}), {
      attempt: 1,
      signal,
    });
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(refused.ok ? "" : refused.error).toMatch(/^EgressRefusedError/);

    rx.script("/v1/big", () => ({ status: 200, body: "x".repeat(5_000) }));
    const big = await d().deliver(item({ path: "/big" }), connector({ max_response_bytes: 1_000 }), { attempt: 1, signal });
    expect(big).toMatchObject({ ok: false, retryable: false });

    const noSecret = await d().deliver(item({}), connector({ auth: { type: "bearer" } }), { attempt: 1, signal });
    expect(noSecret).toEqual({ ok: false, retryable: false, error: 'connector "api" has no secret "token"' });

    rx.script("/v1/hang", () => "hold");
    const slow = await d().deliver(item({ path: "/hang" }), connector({ timeout_ms: 200 }), { attempt: 1, signal });
    expect(slow).toMatchObject({ ok: false, retryable: true });
    expect(slow.ok ? "" : slow.error).toMatch(/^HttpTimeoutError/);
  });
});
