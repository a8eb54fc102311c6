/**
 * Test runs over HTTP on a demo-like workspace (issue 19), on both stores: the path, the rendered
 * email, an approval answered — with the row counts of every live table equal before and after,
 * and a TCP listener on every configured connector's address (allow-listed, so that a real run
 * would reach it) that sees no connection. And the attacker's tries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { runInSandbox } from "../../src/app/workflow-tests/run-in-sandbox.js";
import {
  type Json,
  type Listener,
  rowCounts,
  type SandboxWorkspace,
  seedSandboxWorkspace,
  startListener,
} from "../helpers/sandbox-workspace.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`test runs in a sandbox on ${kind.name}`, () => {
    const listeners = {} as { smtp: Listener; http: Listener; chat: Listener; hook: Listener };
    beforeAll(async () => {
      listeners.smtp = await startListener();
      listeners.http = await startListener();
      listeners.chat = await startListener();
      listeners.hook = await startListener();
    });
    afterAll(async () => {
      for (const l of Object.values(listeners)) await l?.close();
    });
    const env = useTestServer(kind, () => [{}, { egressAllow: Object.values(listeners).map((l) => `127.0.0.1:${l.port}`) }]);
    let ws: SandboxWorkspace;
    let before: Record<string, number>;
    beforeAll(async () => {
      ws = await seedSandboxWorkspace(env.s, listeners);
      before = await rowCounts(env.t.store);
    });
    const testRun = (id: string, body: unknown, as?: string) =>
      env.s.api(`/api/v1/workflows/${id}/test-runs`, { method: "POST", json: body, ...(as ? { as } : {}) });

    it("runs speed-to-lead to the end on an inline lead: the path, the owner, the rendered email, the wait passed on simulated time", async () => {
      const res = await testRun("speed-to-lead", {
        record: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", score: 80, employee_count: 300 },
      });
      expect(res.status).toBe(200);
      const r = (await res.json()) as Json;
      expect(r.status).toBe("completed");
      expect(r.stopped).toBe("ended");
      expect(r.path).toEqual(["assign", "call-task", "auto-reply", "wait-for-call", "reassign", "alert-lead", "done"]);
      expect(r.workflow).toMatchObject({ key: "speed-to-lead", id: ws.speedToLeadId, version: 1, source: "version" });
      const repIds = ws.reps.map((x) => x.id);
      expect(repIds).toContain(r.owner.user_id);
      expect(r.owner.team).toBe("Americas East");
      expect(r.owner.why).toMatch(/\S/);
      const emails = r.messages.filter((m: Json) => m.kind === "email");
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({ to: "ada@example.com", subject: "Thanks for reaching out, Ada", step: "auto-reply" });
      // The first owner's name and calendar link, rendered at enqueue.
      const first = r.fields_written.find((f: Json) => f.field === "owner_id");
      const firstRep = ws.reps.find((x) => x.id === first.to) as Json;
      expect(emails[0].text).toContain(firstRep.name);
      expect(emails[0].text).toContain(firstRep.calendar_link);
      expect(r.fields_written.filter((f: Json) => f.field === "owner_id").map((f: Json) => f.from)).toEqual([null, first.to]);
      expect(r.tasks).toHaveLength(1);
      expect(r.tasks[0].fields.subject).toBe("Call within 5 min: Ada Lovelace");
      expect(r.notifications).toEqual([expect.objectContaining({ user_id: ws.lead.id, user: "Tess Lead" })]);
      // The webhook subscription would have been told of the lead.
      expect(r.messages.filter((m: Json) => m.kind === "webhook").map((m: Json) => m.type)).toContain("lead.created");
      // The 15-minute wait passed on the simulated clock, not the wall clock.
      expect(Date.parse(r.simulated.ended_at) - Date.parse(r.simulated.started_at)).toBeGreaterThanOrEqual(15 * 60_000);
      expect(r.steps.length).toBeGreaterThanOrEqual(7);
      expect(r.run.status).toBe("completed");
    });

    it("a lead under the threshold is not enrolled, and says why", async () => {
      const r = (await (
        await testRun("speed-to-lead", { record: { first_name: "Lo", last_name: "Score", score: 10, employee_count: 300 } })
      ).json()) as Json;
      expect(r).toMatchObject({ status: "not_enrolled", stopped: "not_enrolled", path: [], steps: [], tasks: [] });
      // Only the webhook subscription hears of the created lead, as it would live.
      expect(r.messages.map((m: Json) => m.kind)).toEqual(["webhook"]);
      expect(r.reason).toMatch(/conditions/);
    });

    it("stops at an approval with to_next_wait, naming who must decide; the replay with an answer goes on to the end", async () => {
      const deal = { name: "Big deal", amount: 50000, discount_pct: 30 };
      const waiting = (await (await testRun(ws.approvalId, { record: deal, mode: "to_next_wait" })).json()) as Json;
      expect(waiting.status).toBe("waiting");
      expect(waiting.stopped).toBe("waiting");
      expect(waiting.approvals_waiting).toHaveLength(1);
      expect(waiting.approvals_waiting[0].step).toBe("approve");
      expect(waiting.approvals_waiting[0].waiting_on.map((w: Json) => w.name)).toContain("Max Manager");
      const approved = (await (
        await testRun(ws.approvalId, { record: deal, answers: { approve: { decision: "approve" } } })
      ).json()) as Json;
      expect(approved.status).toBe("completed");
      expect(approved.path).toEqual(["approve", "won"]);
      expect(approved.tasks.map((t: Json) => t.fields.subject)).toEqual(["Discount approved"]);
      const rejected = (await (
        await testRun(ws.approvalId, { record: deal, answers: { approve: { decision: "reject", comment: "too much" } } })
      ).json()) as Json;
      expect(rejected.path).toEqual(["approve", "lost"]);
      expect(rejected.tasks).toEqual([]);
    });

    it("a request sent back is resubmitted by its submitter before the next answer", async () => {
      const deal = { name: "Revised deal", amount: 50000, discount_pct: 30 };
      const r = (await (
        await testRun(ws.approvalId, {
          record: deal,
          answers: { approve: [{ decision: "send_back", comment: "lower the discount" }, { decision: "approve" }] },
        })
      ).json()) as Json;
      expect(r.status).toBe("completed");
      expect(r.path).toEqual(["approve", "won"]);
      // Sent back without a second answer: the run waits for the revision.
      const waiting = (await (
        await testRun(ws.approvalId, { record: deal, answers: { approve: { decision: "send_back" } } })
      ).json()) as Json;
      expect(waiting).toMatchObject({ status: "waiting", stopped: "waiting" });
      expect(waiting.run.wait.kind).toBe("revision");
    });

    it("to_next_wait stops at a delay unless its step is answered with pass", async () => {
      const lead = { first_name: "Wai", last_name: "Ting", email: "wai@example.com", score: 80, employee_count: 300 };
      const stopped = (await (await testRun("speed-to-lead", { record: lead, mode: "to_next_wait" })).json()) as Json;
      expect(stopped).toMatchObject({ status: "waiting", stopped: "waiting" });
      expect(stopped.path).toEqual(["assign", "call-task", "auto-reply", "wait-for-call"]);
      expect(stopped.run.wait.kind).toBe("timer");
      expect(stopped.simulated.ended_at).toBe(stopped.simulated.started_at);
      const passed = (await (
        await testRun("speed-to-lead", { record: lead, mode: "to_next_wait", answers: { "wait-for-call": { pass: true } } })
      ).json()) as Json;
      expect(passed.status).toBe("completed");
      expect(passed.path.at(-1)).toBe("done");
    });

    it("names an inline record's invalid field under record", async () => {
      const res = await testRun("speed-to-lead", { record: { last_name: "X", email: "not an email", score: "high" } });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Json;
      expect(problem.errors.map((e: Json) => e.path)).toEqual(["record.email", "record.score"]);
      expect(problem.errors[1].expected).toBe("integer");
    });

    it("shows the HTTP request and the chat message that would have been sent, credentials redacted", async () => {
      const r = (await (await testRun(ws.everyChannelId, { record: { first_name: "Hal", last_name: "Http" } })).json()) as Json;
      expect(r.status).toBe("completed");
      const http = r.messages.find((m: Json) => m.kind === "http");
      expect(http).toMatchObject({ method: "POST", url: `http://127.0.0.1:${listeners.http.port}/leads/Http`, step: "call" });
      expect(JSON.parse(http.body)).toEqual({ name: "Hal" });
      expect(http.headers.authorization).toBe("[redacted]");
      expect(http.headers["x-api-key"]).toBe("[redacted]");
      expect(http.headers["x-team"]).toBe("east");
      expect(JSON.stringify(r)).not.toContain("s3cret-token");
      expect(r.messages.find((m: Json) => m.kind === "chat")).toMatchObject({ text: "New lead: Hal", step: "post" });
    });

    it("runs on a live record, copied: the live lead is untouched", async () => {
      const live = await env.s.post("/api/v1/leads", {
        first_name: "Liv",
        last_name: "Record",
        email: "liv@example.com",
        score: 90,
        employee_count: 50,
      });
      before = await rowCounts(env.t.store);
      const r = (await (await testRun("speed-to-lead", { record_id: live.id })).json()) as Json;
      expect(r.status).toBe("completed");
      expect(r.record_id).toBe(live.id);
      expect(r.record.owner_id).toBeTruthy();
      expect((await env.s.get(`/api/v1/leads/${live.id}`)).owner_id ?? null).toBeNull();
    });

    it("wrote nothing to any live table and opened no connection to any connector's address", async () => {
      expect(await rowCounts(env.t.store)).toEqual(before);
      for (const [name, l] of Object.entries(listeners)) expect(l.connections(), name).toBe(0);
    });

    describe("the attacker", () => {
      it("cannot test on another workspace's record", async () => {
        const other = await env.s.newWorkspace("other-ws");
        const theirs = (await (
          await env.s.api("/api/v1/leads", {
            method: "POST",
            json: { first_name: "Eve", last_name: "X", score: 90, employee_count: 90 },
            as: other.token,
          })
        ).json()) as Json;
        const res = await testRun("speed-to-lead", { record_id: theirs.id });
        expect(res.status).toBe(422);
        const problem = (await res.json()) as Json;
        expect(JSON.stringify(problem)).toContain("record_id");
        expect(JSON.stringify(problem)).not.toContain("Eve");
      });

      it("gets a 404 for a forged workflow id, and for another workspace's workflow", async () => {
        expect((await testRun("01forgedworkflowid0000000000", { record: { first_name: "A", last_name: "B" } })).status).toBe(404);
        const other = await env.s.newWorkspace("other-ws2");
        expect((await testRun(ws.speedToLeadId, { record: { first_name: "A", last_name: "B" } }, other.token)).status).toBe(404);
      });

      it("cannot send a huge inline record", async () => {
        const record: Json = { first_name: "A", last_name: "B" };
        for (let i = 0; i < 300; i++) record[`f${i}`] = "x".repeat(100);
        const res = await testRun("speed-to-lead", { record });
        expect(res.status).toBe(422);
        expect(JSON.stringify(await res.json())).toContain("record");
        const huge = await testRun("speed-to-lead", { record: { first_name: "x".repeat(3_000_000), last_name: "B" } });
        expect([413, 422]).toContain(huge.status);
      });

      it("a template in inline record data is data, never code", async () => {
        const r = (await (
          await testRun("speed-to-lead", {
            record: {
              first_name: "{{ 6 | times: 7 }}{% raw %}",
              last_name: "{{ owner.email }}",
              email: "t@example.com",
              score: 80,
              employee_count: 300,
            },
          })
        ).json()) as Json;
        const email = r.messages.find((m: Json) => m.kind === "email");
        expect(email.subject).toBe("Thanks for reaching out, {{ 6 | times: 7 }}{% raw %}");
        expect(r.tasks[0].fields.subject).toContain("{{ owner.email }}");
        expect(email.subject).not.toContain("42");
      });

      it("refuses a rep: only admins and managers test workflows", async () => {
        const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "a rep", "rep");
        const res = await testRun("speed-to-lead", { record: { first_name: "A", last_name: "B" } }, secret);
        expect(res.status).toBe(403);
      });

      it("names the field and the allowed values of a bad mode", async () => {
        const res = await testRun("speed-to-lead", { record: { first_name: "A" }, mode: "sideways" });
        expect(res.status).toBe(422);
        const problem = (await res.json()) as Json;
        expect(JSON.stringify(problem)).toContain("mode");
        expect(JSON.stringify(problem)).toContain("to_next_wait");
      });
    });
  });
}

describe("one sandbox for a batch (what replay builds on)", () => {
  const env = useTestServer(STORES[0] as (typeof STORES)[number]);
  it("runs several records in one sandbox, each result only its own", async () => {
    const listeners = {
      smtp: await startListener(),
      http: await startListener(),
      chat: await startListener(),
      hook: await startListener(),
    };
    try {
      await seedSandboxWorkspace(env.s, listeners);
      const ctx = systemContext(env.s.workspace.id);
      const tests = env.s.services.workflowTests;
      const w = await tests.underTest(ctx, "speed-to-lead");
      const leads = ["ann", "bob"].map((n) => ({
        first_name: n,
        last_name: "Batch",
        email: `${n}@example.com`,
        score: 80,
        employee_count: 300,
      }));
      const results = await tests.inSandbox(ctx, w, [], async (sandbox) => {
        const out = [];
        for (const record of leads) out.push(await runInSandbox(sandbox, env.s.workspace.id, w, { record }));
        return out;
      });
      expect(results.map((r) => r.status)).toEqual(["completed", "completed"]);
      expect(results.map((r) => r.messages.filter((m) => m.kind === "email").map((m) => (m as { to: string }).to))).toEqual([
        ["ann@example.com"],
        ["bob@example.com"],
      ]);
      expect(results.map((r) => r.tasks.length)).toEqual([1, 1]);
      expect(results.map((r) => r.notifications.length)).toEqual([1, 1]);
    } finally {
      for (const l of Object.values(listeners)) await l.close();
    }
  });
});
