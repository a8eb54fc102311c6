/**
 * Loop protection over HTTP: a workflow that updates the field that triggers it and two workflows
 * that trigger each other are stopped — the logs of the workflows say why and name the chain, and
 * so does the record's timeline. A burst beyond the rate cap is deferred, never dropped: every
 * enrolment starts, in order, at the capped rate.
 */
import { describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { type TestServer, useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const systemCtx = (s: TestServer) => systemContext(s.workspace.id);

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
        description: "Why it exists: a test fixture (publishing needs a description).",
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
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        reenrollment: true,
        trigger: { type: "record_updated", fields: ["title"] },
        start: "set",
        steps: { set: { type: "action", action: { type: "update_fields", fields: { source: "ping {{ record.title }}" } } } },
      });
      const pong = {
        key: "pong",
        name: "Pong",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        reenrollment: true,
        trigger: { type: "record_updated", fields: ["source"] },
        start: "set",
        steps: { set: { type: "action", action: { type: "update_fields", fields: { title: "pong {{ record.source }}" } } } },
      };
      // Publishing foresees the cycle (issue 19, item 4) and needs it acknowledged.
      const draft = await post("/api/v1/workflows", { definition: pong });
      const preview = await get(`/api/v1/workflows/${draft.id}/publish-preview`);
      expect(preview.conflicts.map((w: Json) => [w.kind, w.workflows.map((x: Json) => x.name), w.fields])).toEqual([
        ["trigger_cycle", ["Pong", "Ping"], ["title", "source"]],
      ]);
      expect((await env.s.api(`/api/v1/workflows/${draft.id}/publish`, { method: "POST", json: {} })).status).toBe(409);
      const b = await publish(pong);
      const c = await post("/api/v1/contacts", { last_name: "PingPong" });
      await env.s.api(`/api/v1/contacts/${c.id}`, { method: "PATCH", json: { title: "start" } });
      await settle(env.s);
      const runs = [...(await get(`/api/v1/runs?workflow_id=${a.id}`)).data, ...(await get(`/api/v1/runs?workflow_id=${b.id}`)).data];
      // depth 1 … 6 are allowed, the 7th link is suppressed.
      expect(runs).toHaveLength(6);
      expect(Math.max(...runs.map((r: Json) => r.depth))).toBe(6);
      // The stop is in the log of both workflows of the chain, and names them (not an event id).
      const logs = [...(await get(`/api/v1/workflows/${a.id}/log`)).data, ...(await get(`/api/v1/workflows/${b.id}/log`)).data];
      expect(logs).toHaveLength(2);
      for (const row of logs) {
        expect(row.message).toMatch(/^causal depth 7 exceeds the cap of 6: workflows are triggering each other in a chain/);
        expect(row.message).toContain('6 runs of "Ping" and "Pong" in turn');
        expect(row.message).toContain('"Ping" is not started again');
        expect(row.chain).toEqual([a.id, b.id]);
      }
      expect(logs[0].message).toBe(logs[1].message);
      const final = await get(`/api/v1/contacts/${c.id}`);
      expect(final.title.startsWith("pong ping pong ping")).toBe(true);

      // The record's own timeline shows the stop once, with the workflows of the chain by name.
      const timeline = (await get(`/api/v1/contacts/${c.id}/timeline`)).data;
      const stops = timeline.filter((i: Json) => i.kind === "loop_stop");
      expect(stops).toHaveLength(1);
      expect(stops[0].workflows.map((w: Json) => w.name)).toEqual(["Ping", "Pong"]);
      expect(stops[0].workflows.map((w: Json) => w.key)).toEqual(["ping", "pong"]);
      expect(stops[0].message).toBe(logs[0].message);
      // Newest first: the stop came after the last change of the chain.
      const lastChange = timeline.findIndex((i: Json) => i.kind === "change");
      expect(timeline.indexOf(stops[0])).toBeLessThanOrEqual(lastChange);
    });
  });
}

/** Polls (the worker driven by hand) until `done` holds. */
async function until(s: TestServer, done: () => Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await settle(s);
    if (await done()) return;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the rate cap defers on ${kind.name}`, () => {
    // Windows of one second, so that a backlog drains within the test.
    const env = useTestServer(kind, {}, { limits: { maxDepth: 6, maxRunsPerWindow: 3, windowMs: 1_000, backlogAlertWindows: 2 } });
    const get = (path: string) => env.s.get(path);

    it("starts every enrolment over the cap later, in order, and none is dropped; the page, the log and the admins see it", async () => {
      const w = await env.s.publish({
        key: "welcome-companies",
        name: "Welcome",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "company",
        trigger: { type: "record_created" },
        start: "note",
        steps: { note: { type: "action", action: { type: "add_activity", subject: "Welcome {{ record.name }}" } } },
      });
      const companies: Json[] = [];
      for (let i = 0; i < 10; i++) companies.push(await env.s.post("/api/v1/companies", { name: `Burst ${i}` }));
      await settle(env.s);

      // Every enrolment has its run at once; 3 started, 7 wait for their slots.
      const runs = async () => (await get(`/api/v1/runs?workflow_id=${w.id}&limit=100`)).data as Json[];
      const enrolled = await runs();
      expect(enrolled).toHaveLength(10);
      // (A slot may have come while the worker drained: the page counts the runs not started yet.)
      const page = await get(`/api/v1/workflows/${w.id}`);
      expect(page.deferred.count).toBe(enrolled.filter((r) => r.status === "running" && r.steps_taken === 0).length);
      expect(page.deferred.count).toBeGreaterThanOrEqual(4);
      expect(Date.parse(page.deferred.last_start_at)).toBeGreaterThan(Date.parse(page.deferred.next_start_at));
      const log = (await get(`/api/v1/workflows/${w.id}/log`)).data;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ kind: "deferred" });
      expect(log[0].message).toMatch(
        /^rate cap: over 3 runs per 1 s; 7 enrolments are deferred, not dropped: their runs start in order from /,
      );
      // The backlog reached two windows: the admins were told (there is no admin user: to "admins").
      const notes = (await get("/api/v1/notifications")).data as Json[];
      expect(notes.filter((n) => n.message.startsWith('Workflow "Welcome" keeps enrolling faster than its rate cap'))).toHaveLength(1);

      await until(env.s, async () => (await runs()).every((r) => r.status === "completed"));
      expect((await get(`/api/v1/workflows/${w.id}`)).deferred).toEqual({ count: 0, next_start_at: null, last_start_at: null });
      // In order: each company's run took its first step no earlier than the one created before it,
      // and the starts spread over at least three windows (3 per window).
      const byRecord = new Map((await runs()).map((r) => [r.record_id, r]));
      const starts: number[] = [];
      for (const c of companies) {
        const run = byRecord.get(c.id) as Json;
        starts.push(Date.parse((await get(`/api/v1/runs/${run.id}`)).steps[0].at));
      }
      for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1] as number);
      // Four windows at least: the last start two whole windows after the first's ended. A step's
      // instant is taken when its commit runs, which on a loaded machine can trail its slot a little.
      expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThanOrEqual(2_000 - 250);
      for (const c of companies) {
        const notes = await env.s.services.records.list(systemCtx(env.s), "activity", {
          filter: { field: "related_id", op: "eq", value: c.id },
          limit: 10,
        });
        expect(notes.items).toHaveLength(1);
      }
    });

    it("still stops a workflow that triggers itself at the causal depth cap, deferred or not", async () => {
      const w = await env.s.publish({
        key: "bump-again",
        name: "Bump again",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        reenrollment: true,
        allow_self_trigger: true,
        trigger: { type: "record_updated", fields: ["score"] },
        start: "bump",
        steps: { bump: { type: "action", action: { type: "change_score", by: 1 } } },
      });
      const c = await env.s.post("/api/v1/contacts", { last_name: "Runaway", score: 0 });
      await env.s.api(`/api/v1/contacts/${c.id}`, { method: "PATCH", json: { score: 10 } });
      const log = async () => (await get(`/api/v1/workflows/${w.id}/log`)).data as Json[];
      await until(env.s, async () => (await log()).some((r) => r.kind === "suppressed"));
      await settle(env.s);
      // Depth 1 … 6 ran (the 4th and later deferred by the cap of 3 a second), the 7th was stopped.
      const runs = (await get(`/api/v1/runs?workflow_id=${w.id}`)).data as Json[];
      expect(runs).toHaveLength(6);
      expect((await get(`/api/v1/contacts/${c.id}`)).score).toBe(16);
      const stop = (await log()).filter((r) => r.kind === "suppressed") as [Json];
      expect(stop).toHaveLength(1);
      expect(stop[0].message).toMatch(/^causal depth 7 exceeds the cap of 6/);
      expect(stop[0].message).toContain('6 runs of "Bump again" in turn');
      expect(stop[0].chain).toEqual([w.id]);
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
          description: "Why it exists: a test fixture (publishing needs a description).",
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
