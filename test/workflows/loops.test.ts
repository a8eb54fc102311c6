/**
 * Loop protection over HTTP: a workflow that updates the field that triggers it, two workflows
 * that trigger each other, and a burst beyond the rate cap are all stopped — and the workflow's
 * log says what was suppressed and why.
 */
import { describe, expect, it } from "vitest";
import { type TestServer, useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

async function settle(s: TestServer) {
  // Let the worker finish everything that is due now.
  await s.services.worker.drain();
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`loop protection on ${kind.name}`, () => {
    // The worker is driven by hand (drain) so that the test decides when work happens.
    const env = useTestServer(kind, {}, { limits: { maxDepth: 6, maxRunsPerWindow: 3, windowMs: 60_000 } });
    const get = (path: string) => env.s.get(path);
    const post = (path: string, json: unknown) => env.s.post(path, json);
    const publish = (definition: unknown) => env.s.publish(definition);

    it("does not let a workflow re-trigger itself through its own write", async () => {
      const w = await publish({
        key: "bump-score",
        name: "Bump score on change",
        object: "contact",
        reenrollment: true,
        trigger: { type: "record_updated", fields: ["score"] },
        start: "bump",
        steps: { bump: { type: "action", action: { type: "change_score", by: 1 } } },
      });
      const c = await post("/api/v1/contacts", { last_name: "Loop", score: 1 });
      await env.s.api(`/api/v1/contacts/${c.id}`, { method: "PATCH", json: { score: 10 } });
      await settle(env.s);
      expect((await get(`/api/v1/contacts/${c.id}`)).score).toBe(11);
      expect((await get(`/api/v1/runs?workflow_id=${w.id}`)).data).toHaveLength(1);
      const log = (await get(`/api/v1/workflows/${w.id}/log`)).data;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ kind: "suppressed", record_id: c.id });
      expect(log[0].message).toContain("written by this workflow itself");
    });

    it("stops two workflows that trigger each other at the causal depth cap", async () => {
      const a = await publish({
        key: "ping",
        name: "Ping",
        object: "contact",
        reenrollment: true,
        trigger: { type: "record_updated", fields: ["title"] },
        start: "set",
        steps: { set: { type: "action", action: { type: "update_fields", fields: { source: "ping {{ record.title }}" } } } },
      });
      const b = await publish({
        key: "pong",
        name: "Pong",
        object: "contact",
        reenrollment: true,
        trigger: { type: "record_updated", fields: ["source"] },
        start: "set",
        steps: { set: { type: "action", action: { type: "update_fields", fields: { title: "pong {{ record.source }}" } } } },
      });
      const c = await post("/api/v1/contacts", { last_name: "PingPong" });
      await env.s.api(`/api/v1/contacts/${c.id}`, { method: "PATCH", json: { title: "start" } });
      await settle(env.s);
      const runs = [...(await get(`/api/v1/runs?workflow_id=${a.id}`)).data, ...(await get(`/api/v1/runs?workflow_id=${b.id}`)).data];
      // depth 1 … 6 are allowed, the 7th link is suppressed.
      expect(runs).toHaveLength(6);
      expect(Math.max(...runs.map((r: Json) => r.depth))).toBe(6);
      const logs = [...(await get(`/api/v1/workflows/${a.id}/log`)).data, ...(await get(`/api/v1/workflows/${b.id}/log`)).data];
      expect(logs).toHaveLength(1);
      expect(logs[0].message).toMatch(/^causal depth 7 exceeds the cap of 6: workflows are triggering each other/);
      const final = await get(`/api/v1/contacts/${c.id}`);
      expect(final.title.startsWith("pong ping pong ping")).toBe(true);
    });

    it("caps how many runs one workflow starts per window, and says so", async () => {
      const w = await publish({
        key: "welcome-companies",
        name: "Welcome",
        object: "company",
        trigger: { type: "record_created" },
        start: "note",
        steps: { note: { type: "action", action: { type: "add_activity", subject: "Welcome {{ record.name }}" } } },
      });
      for (let i = 0; i < 5; i++) await post("/api/v1/companies", { name: `Burst ${i}` });
      await settle(env.s);
      expect((await get(`/api/v1/runs?workflow_id=${w.id}`)).data).toHaveLength(3);
      const log = (await get(`/api/v1/workflows/${w.id}/log`)).data;
      expect(log).toHaveLength(2);
      expect(log[0].message).toMatch(/^rate cap: 3 runs started in the last 60 s \(cap 3\)/);
    });
  });
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`failing steps on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("fails the run at once with the reason when a step's write is invalid, and retries it from that step", async () => {
      const saved = await env.s.post("/api/v1/workflows", {
        definition: {
          key: "copy-name-to-email",
          name: "A broken rule",
          object: "contact",
          trigger: { type: "record_created" },
          start: "set",
          steps: { set: { type: "action", action: { type: "update_fields", fields: { email: "{{ record.title }}" } } } },
        },
      });
      await env.s.post(`/api/v1/workflows/${saved.id}/publish`, {});
      const c = await env.s.post("/api/v1/contacts", { last_name: "Broken", title: "not an email" });
      await env.s.services.worker.drain();
      const [run] = (await env.s.get(`/api/v1/runs?record_id=${c.id}`)).data;
      expect(run.status).toBe("failed");
      expect(run.reason).toContain('email: "not an email" is not an email address');
      const detail = await env.s.get(`/api/v1/runs/${run.id}`);
      expect(detail.steps.at(-1)).toMatchObject({ step: "set", type: "error", outcome: "failed" });

      await env.s.api(`/api/v1/contacts/${c.id}`, { method: "PATCH", json: { title: "fixed@example.com" } });
      expect((await env.s.api(`/api/v1/runs/${run.id}/retry`, { method: "POST" })).status).toBe(202);
      await env.s.services.worker.drain();
      expect((await env.s.get(`/api/v1/runs/${run.id}`)).status).toBe("completed");
      expect((await env.s.get(`/api/v1/contacts/${c.id}`)).email).toBe("fixed@example.com");
    });
  });
}
