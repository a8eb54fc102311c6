/**
 * Test cases over HTTP (issue 19), on both stores: saved on a workflow, listed with their last
 * result, run (all, or one) against the draft or a version, replaced and deleted; the result of
 * a failing case names the step that differed. Refused: a rep's writes, a taken name, a case
 * with neither or both kinds of record, another workspace's workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, type Listener, type SandboxWorkspace, seedSandboxWorkspace, startListener } from "../helpers/sandbox-workspace.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const HIGH = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", score: 80, employee_count: 300 };
const FULL_PATH = ["assign", "call-task", "auto-reply", "wait-for-call", "reassign", "alert-lead", "done"];

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`test cases over HTTP on ${kind.name}`, () => {
    const listeners = {} as { smtp: Listener; http: Listener; chat: Listener; hook: Listener };
    beforeAll(async () => {
      for (const k of ["smtp", "http", "chat", "hook"] as const) listeners[k] = await startListener();
    });
    afterAll(async () => {
      for (const l of Object.values(listeners)) await l?.close();
    });
    const env = useTestServer(kind, () => [{}, { egressAllow: Object.values(listeners).map((l) => `127.0.0.1:${l.port}`) }]);
    let ws: SandboxWorkspace;
    beforeAll(async () => {
      ws = await seedSandboxWorkspace(env.s, listeners);
    });
    const base = () => `/api/v1/workflows/${ws.speedToLeadId}/test-cases`;

    it("saves cases, runs them all and keeps each one's result on its version", async () => {
      const good = await env.s.post(base(), {
        name: "Score 80 and 300 employees",
        record: HIGH,
        expect: { status: "completed", path: FULL_PATH, owner: { team: "Americas East" }, messages: [{ kind: "email", to: "record" }] },
      });
      expect(good).toMatchObject({ name: "Score 80 and 300 employees", record: HIGH, last_result: null, last_run_at: null });
      await env.s.post(base(), {
        name: "Wrong order",
        record: HIGH,
        expect: { path: ["assign", "auto-reply", "call-task"] },
      });
      const run = await env.s.post(`${base()}/run`, {});
      expect(run).toMatchObject({ passed: 1, failed: 1 });
      const byName = new Map(run.data.map((r: Json) => [r.case.name, r]));
      expect((byName.get("Score 80 and 300 employees") as Json).result).toEqual({ passed: true, failures: [] });
      const failed = byName.get("Wrong order") as Json;
      expect(failed.result.passed).toBe(false);
      expect(failed.result.failures[0].message).toBe("step 2: expected auto-reply, got call-task");
      expect(failed.run.path).toEqual(FULL_PATH);
      const listed = (await env.s.get(base())).data as Json[];
      expect(listed.map((c) => [c.name, c.last_result?.passed, c.last_version])).toEqual([
        ["Score 80 and 300 employees", true, 1],
        ["Wrong order", false, 1],
      ]);
      expect(listed.every((c) => typeof c.last_run_at === "string")).toBe(true);
    });

    it("replaces a case, runs only it, deletes it", async () => {
      const [wrong] = ((await env.s.get(base())).data as Json[]).filter((c) => c.name === "Wrong order");
      const fixed = await env.s.json(`${base()}/${wrong?.id}`, {
        method: "PUT",
        json: { name: "Right order", record: HIGH, expect: { path: FULL_PATH } },
      });
      expect(fixed).toMatchObject({ id: wrong?.id, name: "Right order", last_result: { passed: false } });
      const one = await env.s.post(`${base()}/run`, { case_id: wrong?.id });
      expect(one).toMatchObject({ passed: 1, failed: 0 });
      expect(one.data).toHaveLength(1);
      const del = await env.s.api(`${base()}/${wrong?.id}`, { method: "DELETE" });
      expect(del.status).toBe(204);
      expect(((await env.s.get(base())).data as Json[]).map((c) => c.name)).toEqual(["Score 80 and 300 employees"]);
      expect((await env.s.api(`${base()}/${wrong?.id}`, { method: "DELETE" })).status).toBe(404);
    });

    it("refuses a taken name, a case without a record, bad expectations — naming the field", async () => {
      const taken = await env.s.api(base(), { method: "POST", json: { name: "Score 80 and 300 employees", record: HIGH, expect: {} } });
      expect(taken.status).toBe(409);
      const neither = await env.s.api(base(), { method: "POST", json: { name: "No record", expect: {} } });
      expect(neither.status).toBe(422);
      expect(JSON.stringify(await neither.json())).toContain("record");
      const bad = await env.s.api(base(), {
        method: "POST",
        json: { name: "Bad", record: HIGH, expect: { messages: [{ kind: "pigeon" }] } },
      });
      expect(bad.status).toBe(422);
      const problem = JSON.stringify(await bad.json());
      expect(problem).toContain("expect");
      expect(problem).toContain("webhook");
    });

    it("lets a rep read cases but not write or run them; another workspace sees none", async () => {
      const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "a rep", "rep");
      expect((await env.s.api(base(), { as: secret })).status).toBe(200);
      expect((await env.s.api(base(), { method: "POST", json: { name: "x", record: HIGH, expect: {} }, as: secret })).status).toBe(403);
      expect((await env.s.api(`${base()}/run`, { method: "POST", json: {}, as: secret })).status).toBe(403);
      const other = await env.s.newWorkspace("other-cases");
      expect((await env.s.api(base(), { as: other.token })).status).toBe(404);
      expect((await env.s.api(`${base()}/run`, { method: "POST", json: {}, as: other.token })).status).toBe(404);
    });
  });
}
