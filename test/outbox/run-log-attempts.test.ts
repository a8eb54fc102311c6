/**
 * The run log shows each delivery attempt of an external action, on both stores, over real HTTP
 * with a real receiver: an http_request that fails twice (503, then a 500) and succeeds on its
 * third attempt shows three attempts — number, time, outcome, status, error, next retry — on the
 * step that put it on the outbox and on the step that took its result (GET /api/v1/runs/{id}), and
 * three `delivery_attempt` entries on the record's timeline. A call that fails for good shows its
 * attempts ending in `dead`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "./receiver.js";

type Json = Record<string, any>;

const workflow = {
  key: "enrich-on-create",
  name: "Enrich on create",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "company",
  trigger: { type: "record_created" },
  start: "call",
  steps: {
    call: {
      type: "action",
      action: {
        type: "http_request",
        connector: "enrichment",
        path: "/enrich/{{ record.domain }}",
        map_response: { industry: "/industry" },
      },
      next: "done",
      on_failure: "done",
    },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`delivery attempts in the run log on ${kind.name}`, () => {
    let rx: Receiver;
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
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 3 } },
      },
    ]);

    beforeAll(async () => {
      await env.s.post("/api/v1/connectors", { key: "enrichment", kind: "http", config: { base_url: rx.url } });
      await env.s.publish(workflow);
    });

    const finishedRun = (recordId: string) =>
      eventually(`a finished run of ${recordId}`, async () =>
        (await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data.find((r: Json) => ["completed", "failed"].includes(r.status)),
      );

    it("an HTTP call that took three attempts shows all three, on the run and on the record's timeline", async () => {
      rx.script("/enrich/flaky.test", (_req, nth) =>
        nth === 1
          ? { status: 503, body: "busy" }
          : nth === 2
            ? { status: 500, body: "oops" }
            : { status: 200, body: { industry: "Software" } },
      );
      const company = await env.s.post("/api/v1/companies", { name: "Flaky", domain: "flaky.test" });
      const run = await finishedRun(company.id);
      expect(run.status).toBe("completed");

      const view = await env.s.get(`/api/v1/runs/${run.id}`);
      const enqueue = view.steps.find((s: Json) => s.step === "call" && s.outcome === "enqueued");
      const result = view.steps.find((s: Json) => s.step === "call" && s.outcome === "succeeded");
      expect(enqueue, JSON.stringify(view.steps)).toBeDefined();
      expect(result, JSON.stringify(view.steps)).toBeDefined();
      for (const step of [enqueue, result]) {
        expect(step.attempts).toHaveLength(3);
        expect(step.attempts.map((a: Json) => [a.attempt, a.outcome, a.status])).toEqual([
          [1, "retry", 503],
          [2, "retry", 500],
          [3, "delivered", 200],
        ]);
      }
      const [first, second, third] = enqueue.attempts as Json[];
      expect(first?.error).toMatch(/503/);
      expect(second?.error).toMatch(/500/);
      expect(third?.error).toBeNull();
      // Each retry says when the next attempt is due, after the attempt itself; the last has none.
      expect(Date.parse(first?.next_attempt_at)).toBeGreaterThanOrEqual(Date.parse(first?.at) - 1_000);
      expect(second?.next_attempt_at).toEqual(expect.any(String));
      expect(third?.next_attempt_at).toBeNull();
      expect(Date.parse(first?.at)).toBeLessThanOrEqual(Date.parse(second?.at));
      expect(Date.parse(second?.at)).toBeLessThanOrEqual(Date.parse(third?.at));

      const timeline = await env.s.get(`/api/v1/companies/${company.id}/timeline`);
      const attempts = (timeline.data ?? timeline.items ?? timeline).filter((i: Json) => i.kind === "delivery_attempt");
      expect(attempts.map((a: Json) => [a.attempt, a.outcome]).sort()).toEqual([
        [1, "retry"],
        [2, "retry"],
        [3, "delivered"],
      ]);
      expect(attempts[0]).toMatchObject({ run_id: run.id, step: "call", workflow: { key: "enrich-on-create" } });

      // The outbox item itself shows the same history.
      const item = await env.s.get(`/api/v1/outbox/${first?.outbox_id}`);
      expect(item.attempt_history.map((a: Json) => a.outcome)).toEqual(["retry", "retry", "delivered"]);
    });

    it("a call that fails for good shows its attempts ending in dead", async () => {
      rx.script("/enrich/down.test", () => ({ status: 503, body: "down" }));
      const company = await env.s.post("/api/v1/companies", { name: "Down", domain: "down.test" });
      const run = await finishedRun(company.id);
      const view = await env.s.get(`/api/v1/runs/${run.id}`);
      // The result step takes the fallback path (on_failure).
      const failed = view.steps.find((s: Json) => s.step === "call" && /failed$/.test(s.input));
      expect(failed?.outcome).toBe("fallback");
      expect(failed, JSON.stringify(view.steps)).toBeDefined();
      expect(failed.attempts.map((a: Json) => a.outcome)).toEqual(["retry", "retry", "dead"]);
      expect(failed.attempts[2].error).toMatch(/503|attempts/);
    });
  });
}
