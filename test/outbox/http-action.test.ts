/**
 * An http_request step end to end over real HTTP, on both stores: a workflow's step goes on the
 * outbox, the dispatcher calls a real node:http receiver (let through the egress allow-list),
 * retries what is worth retrying under the same Idempotency-Key, maps the answer into the
 * record, and sends what fails for good to the dead-letter list — from where the API replays it.
 * The retry policy is shortened through options (50 ms base backoff); nothing here asserts an
 * upper bound on time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "./receiver.js";

type Json = Record<string, any>;
const TOKEN = "tok-9f2c81d7e0a4";

const workflow = {
  key: "enrich-companies",
  name: "Enrich companies",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "company",
  trigger: { type: "record_created" },
  start: "pick",
  steps: {
    // The slow receiver lives behind its own connector, with a short deadline.
    pick: {
      type: "branch",
      rules: [{ when: { field: "domain", op: "eq", value: "slow.test" }, next: "call-slow", label: "slow" }],
      else: "call",
    },
    call: {
      type: "action",
      action: {
        type: "http_request",
        connector: "enrichment",
        path: "/enrich/{{ record.domain }}",
        body: { name: "{{ record.name }}", domain: "{{ record.domain }}" },
        map_response: { industry: "/company/industry", employee_count: "/company/size" },
        only_if_empty: true,
      },
      next: "done",
      on_failure: "by-hand",
    },
    "call-slow": {
      type: "action",
      action: { type: "http_request", connector: "slow", path: "/enrich/{{ record.domain }}", map_response: { industry: "/industry" } },
      next: "done",
      on_failure: "by-hand",
    },
    "by-hand": { type: "action", action: { type: "create_task", subject: "Enrich {{ record.name }} by hand" }, next: "done" },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`http_request through the outbox on ${kind.name}`, () => {
    let rx: Receiver;
    // Registered before useTestServer: the receiver is up before the test server starts, and
    // stops only after it is closed (afterAll hooks run in reverse).
    beforeAll(async () => {
      rx = await startReceiver();
    });
    afterAll(async () => {
      await rx?.close();
    });
    const env = useTestServer(kind, () => [
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${rx.port}`],
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 5 } },
      },
    ]);

    /** A real connector of the workspace, created through the API like an admin would. */
    const saveConnector = (key: string, timeoutMs: number) =>
      env.s.post("/api/v1/connectors", {
        key,
        kind: "http",
        config: { base_url: rx.url, auth: { type: "bearer" }, timeout_ms: timeoutMs },
        secrets: { token: TOKEN },
      });

    const company = (name: string, domain: string) => env.s.post("/api/v1/companies", { name, domain });
    const outboxOf = (recordId: string) =>
      eventually(`an outbox item for ${recordId}`, async () =>
        (await env.s.get("/api/v1/outbox?limit=200")).data.find((o: Json) => o.record_id === recordId),
      );
    const outboxWhen = (id: string, what: string, test: (o: Json) => boolean) =>
      eventually(`outbox item ${id} ${what}`, async () => {
        const o = await env.s.get(`/api/v1/outbox/${id}`);
        return test(o) ? o : undefined;
      });
    const finishedRun = (recordId: string) =>
      eventually(`a finished run of ${recordId}`, async () =>
        (await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data.find((r: Json) => ["completed", "failed"].includes(r.status)),
      );

    beforeAll(async () => {
      await saveConnector("enrichment", 5_000);
      await saveConnector("slow", 300);
      const saved = await env.s.post("/api/v1/workflows", { definition: workflow });
      expect((await env.s.post(`/api/v1/workflows/${saved.id}/publish`, {})).live_version).toBe(1);
    });

    it("retries 500s under the same Idempotency-Key, delivers on attempt 3, maps the answer, continues the run", async () => {
      rx.script("/enrich/flaky.test", (_req, nth) =>
        nth <= 2 ? { status: 500, body: "upstream down" } : { status: 200, body: { company: { industry: "Software", size: 250 } } },
      );
      const c = await company("Flaky", "flaky.test");
      const item = await outboxOf(c.id);
      const delivered = await outboxWhen(item.id, "delivered", (o) => o.status === "delivered");
      expect(delivered).toMatchObject({ attempts: 3, last_status: 200, kind: "http", connector: "enrichment", last_error: null });
      const calls = rx.to("/enrich/flaky.test");
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([delivered.key]));
      expect(calls.every((r) => r.method === "POST" && r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(JSON.parse(calls[0]?.body ?? "{}")).toEqual({ name: "Flaky", domain: "flaky.test" });

      const run = await finishedRun(c.id);
      expect(run.status).toBe("completed");
      expect(await env.s.get(`/api/v1/companies/${c.id}`)).toMatchObject({ industry: "Software", employee_count: 250 });
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps.map((x: Json) => [x.step, x.outcome]);
      expect(steps).toEqual([
        ["pick", "→ call (else)"],
        ["call", "enqueued"],
        ["call", "succeeded"],
        ["done", "completed"],
      ]);
    });

    it("waits at least as long as Retry-After asks before the next attempt", async () => {
      rx.script("/enrich/busy.test", (_req, nth) =>
        nth === 1 ? { status: 429, headers: { "retry-after": "2" }, body: "slow down" } : { status: 200, body: {} },
      );
      const c = await company("Busy", "busy.test");
      const item = await outboxOf(c.id);
      await outboxWhen(item.id, "delivered", (o) => o.status === "delivered");
      const [first, second] = rx.to("/enrich/busy.test");
      expect(second).toBeDefined();
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
      expect((await finishedRun(c.id)).status).toBe("completed");
    });

    it("retries a receiver that never answers (timeout), under the same key", async () => {
      rx.script("/enrich/slow.test", (_req, nth) => (nth === 1 ? "hold" : { status: 200, body: { industry: "Logistics" } }));
      const c = await company("Slow", "slow.test");
      const item = await outboxOf(c.id);
      const delivered = await outboxWhen(item.id, "delivered", (o) => o.status === "delivered");
      expect(delivered.attempts).toBe(2);
      const calls = rx.to("/enrich/slow.test");
      expect(calls).toHaveLength(2);
      expect(calls[0]?.headers["idempotency-key"]).toBe(calls[1]?.headers["idempotency-key"]);
      expect((await finishedRun(c.id)).status).toBe("completed");
      expect((await env.s.get(`/api/v1/companies/${c.id}`)).industry).toBe("Logistics");
    });

    it("does not retry a 400: a dead letter with the secret scrubbed, the run takes on_failure; replay delivers once", async () => {
      let fixed = false;
      // The receiver echoes the Authorization header: it must not reach the stored error.
      rx.script("/enrich/bad.test", (req) =>
        fixed
          ? { status: 200, body: { company: { industry: "Retail" } } }
          : { status: 400, body: `bad request from ${req.headers.authorization}` },
      );
      const c = await company("Bad", "bad.test");
      const item = await outboxOf(c.id);
      const dead = await outboxWhen(item.id, "dead", (o) => o.status === "dead");
      expect(dead).toMatchObject({ attempts: 1, last_status: 400 });
      expect(dead.last_error).toContain("permanent failure: HTTP 400");
      expect(dead.last_error).toContain("[secret token]");
      expect(dead.last_error).not.toContain(TOKEN);
      expect(rx.to("/enrich/bad.test")).toHaveLength(1);

      const run = await finishedRun(c.id);
      expect(run.status).toBe("completed");
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps;
      expect(steps.map((x: Json) => [x.step, x.outcome])).toEqual([
        ["pick", "→ call (else)"],
        ["call", "enqueued"],
        ["call", "fallback"],
        ["by-hand", "applied"],
        ["done", "completed"],
      ]);
      expect(JSON.stringify(steps)).not.toContain(TOKEN);
      const tasks = (await env.s.get(`/api/v1/tasks?where=related_id:eq:${c.id}`)).data;
      expect(tasks.map((x: Json) => x.subject)).toEqual(["Enrich Bad by hand"]);

      const deadList = (await env.s.get("/api/v1/outbox?status=dead")).data.map((o: Json) => o.id);
      expect(deadList).toContain(item.id);

      fixed = true;
      const replay = await env.s.api(`/api/v1/outbox/${item.id}/replay`, { method: "POST" });
      expect(replay.status).toBe(202);
      expect(await replay.json()).toMatchObject({ status: "pending", attempts: 0, key: item.key });
      const delivered = await outboxWhen(item.id, "delivered after replay", (o) => o.status === "delivered");
      expect(delivered).toMatchObject({ attempts: 1, key: item.key, replayed_by: expect.stringMatching(/^person:/) });
      const calls = rx.to("/enrich/bad.test");
      expect(calls).toHaveLength(2);
      expect(calls[1]?.headers["idempotency-key"]).toBe(item.key);

      const again = await env.s.api(`/api/v1/outbox/${item.id}/replay`, { method: "POST" });
      expect(again.status).toBe(409);
      expect(again.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await again.json()) as Json;
      expect(problem.detail).toContain("is delivered; only dead letters can be replayed");
      expect(problem.errors).toEqual([{ path: "status", code: "invalid_value", message: "is delivered, expected dead", expected: "dead" }]);
    });

    it("answers bad input with problem+json naming the parameter, and hides the outbox from reps", async () => {
      const bad = await env.s.api("/api/v1/outbox?status=lost");
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errors[0]).toMatchObject({ path: "status", code: "not_in_options" });
      const page = await env.s.api("/api/v1/outbox?limit=0");
      expect(page.status).toBe(400);
      expect((await env.s.api("/api/v1/outbox/nope")).status).toBe(404);
      const { token } = await env.s.newWorkspace("rep-space", "rep");
      expect((await env.s.api("/api/v1/outbox", { as: token })).status).toBe(404);
    });
  });
}
