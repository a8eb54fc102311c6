/**
 * The reference scenario over real HTTP with the worker and the outbox dispatcher running, on
 * both stores: a lead that fits gets an owner, a P1 call task, a personal auto-reply from that
 * owner with their calendar link (real SMTP to an smtp-server in this process, through the
 * workspace's `email` connector) and a 15-minute timer, with no other request; a logged call ends
 * the run on its goal (the email, itself an activity, does not); no call reassigns the lead and
 * tells the team lead; an email that cannot be sent never holds up the call.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { replayRun } from "../helpers/replay.js";
import { useTestServer } from "../helpers/server.js";
import { messageIdOf, parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`speed-to-lead over HTTP on ${kind.name}`, () => {
    let smtp: TestSmtp;
    // Registered before useTestServer: the SMTP server is up before the test server starts, and
    // stops only after it is closed (afterAll hooks run in reverse).
    beforeAll(async () => {
      smtp = await startSmtp();
    });
    afterAll(async () => {
      await smtp?.close();
    });
    const env = useTestServer(kind, () => [
      {},
      { worker: true, egressAllow: [`127.0.0.1:${smtp.port}`], dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 200 } } },
    ]);
    let reps: Json[];
    let teamLead: Json;
    let away: Json;
    const get = (path: string) => env.s.get(path);
    const post = (path: string, json: unknown) => env.s.post(path, json);
    const runOf = (leadId: string, status: string) =>
      eventually(`a ${status} run of ${leadId}`, async () =>
        (await get(`/api/v1/runs?record_id=${leadId}`)).data.find((r: Json) => r.status === status),
      );
    /** The run once it waits for the call (it waits for the auto-reply's outcome first). */
    const waitingForCall = (leadId: string) =>
      eventually(`a run of ${leadId} waiting for the call`, async () =>
        (await get(`/api/v1/runs?record_id=${leadId}`)).data.find((r: Json) => r.status === "waiting" && r.step === "wait-for-call"),
      );

    beforeAll(async () => {
      await post("/api/v1/connectors", {
        key: "email",
        kind: "smtp",
        config: { host: "127.0.0.1", port: smtp.port, from: "sales@acme.test" },
      });
      const team = await post("/api/v1/teams", { name: "Americas East" });
      teamLead = await post("/api/v1/users", { name: "Tess Lead", email: "tess@x.test", role: "manager", team_id: team.id });
      await env.s.api(`/api/v1/teams/${team.id}`, { method: "PATCH", json: { lead_id: teamLead.id } });
      reps = [];
      for (const name of ["Ana", "Bo", "Cy"])
        reps.push(
          await post("/api/v1/users", {
            name,
            email: `${name.toLowerCase()}@x.test`,
            role: "rep",
            team_id: team.id,
            manager_id: teamLead.id,
            calendar_link: `https://cal.example.com/${name.toLowerCase()}`,
          }),
        );
      // The recipe's queue: weighted round-robin over the reps who are available. Dee is on PTO
      // this week, so she is a member who is never chosen.
      away = await post("/api/v1/users", {
        name: "Dee",
        email: "dee@x.test",
        role: "rep",
        team_id: team.id,
        manager_id: teamLead.id,
        pto: [{ start: new Date(Date.now() - 86_400_000).toISOString(), end: new Date(Date.now() + 6 * 86_400_000).toISOString() }],
      });
      await post("/api/v1/routing/queues", {
        name: "Inbound reps",
        strategy: "weighted_round_robin",
        respect_availability: true,
        members: [...reps.map((r, i) => ({ user_id: r.id, weight: i === 0 ? 2 : 1 })), { user_id: away.id, weight: 5 }],
      });
      const saved = await post("/api/v1/workflows", { definition: JSON.parse(readFileSync("recipes/speed-to-lead.json", "utf8")) });
      const published = await post(`/api/v1/workflows/${saved.id}/publish`, {});
      expect(published.live_version).toBe(1);
    });

    it("assigns an owner, creates the P1 call task, emails the lead from the owner and starts a 15-minute timer, with no other request", async () => {
      const lead = await post("/api/v1/leads", {
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@analytical.example",
        score: 55,
        employee_count: 40,
        source: "web_form",
      });
      const run = await waitingForCall(lead.id);
      expect(run.step).toBe("wait-for-call");
      const dueIn = Date.parse(run.wait.dueAt) - Date.parse(run.created_at);
      expect(dueIn).toBeGreaterThanOrEqual(15 * 60_000 - 1_000);
      expect(dueIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);

      const after = await get(`/api/v1/leads/${lead.id}`);
      expect(reps.map((r) => r.id)).toContain(after.owner_id);
      const tasks = (await get(`/api/v1/tasks?where=related_id:eq:${lead.id}`)).data;
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        subject: "Call within 5 min: Ada Lovelace",
        priority: "P1",
        owner_id: after.owner_id,
        status: "open",
      });

      // The auto-reply: one message, from the owner's name, replies to the owner, with their calendar link.
      const owner = reps.find((r) => r.id === after.owner_id) as Json;
      const [mail, ...more] = smtp.to("ada@analytical.example");
      expect(more).toEqual([]);
      const m = parseMail(mail?.raw ?? "");
      expect(m.header("Subject")).toBe("Thanks for reaching out, Ada");
      expect(m.header("From")).toBe(`${owner.name} <sales@acme.test>`);
      expect(m.header("Reply-To")).toBe(owner.email);
      expect(m.text).toBe(
        `Hi Ada,\n\nthanks for getting in touch. I'm ${owner.name} and I'll call you in the next few minutes. If another time suits you better, pick one here: ${owner.calendar_link}\n\n${owner.name}`,
      );
      expect(m.html).toContain(`<a href="${owner.calendar_link}">pick one here</a>`);

      const detail = await get(`/api/v1/runs/${run.id}`);
      expect(detail.steps.map((x: Json) => [x.step, x.outcome])).toEqual([
        ["assign", "applied"],
        ["call-task", "applied"],
        ["auto-reply", "enqueued"],
        ["auto-reply", "succeeded"],
        ["wait-for-call", "waiting"],
      ]);
      const [item] = (await get("/api/v1/outbox?limit=200")).data.filter((o: Json) => o.record_id === lead.id);
      expect(mail?.messageId).toBe(messageIdOf(item.key));
      expect(detail.steps[0].effects[0].why).toMatch(
        /^queue Inbound reps: weighted round-robin: \w+ \(weight \d\) has the highest running credit/,
      );
      expect(detail.steps[0].description).toMatch(/^Weighted round-robin over the reps who are at work now/);
      // The reason record: Dee was considered and excluded for her PTO.
      const [assignment] = (await get(`/api/v1/routing/assignments?record_id=${lead.id}`)).data;
      expect(assignment.id).toBe(detail.steps[0].effects[0].assignment_id);
      expect(assignment.candidates.find((c: Json) => c.user_id === away.id)).toMatchObject({
        eligible: false,
        reason_code: "pto",
        reason: expect.stringMatching(/^on PTO until /),
      });
      expect(detail.description).toMatch(/^A lead that fits/);

      const timeline = await get(`/api/v1/leads/${lead.id}/timeline`);
      const kinds = timeline.data.map((i: Json) => i.kind);
      expect(kinds.filter((k: string) => k === "workflow_step")).toHaveLength(5);
      const email = timeline.data.find((i: Json) => i.kind === "activity" && i.activity.type === "email");
      expect(email.activity).toMatchObject({ subject: "Thanks for reaching out, Ada", user_id: after.owner_id });
      const change = timeline.data.find((i: Json) => i.kind === "change" && i.actor.kind === "workflow");
      expect(change.changes).toEqual([{ field: "owner_id", old: null, new: after.owner_id }]);
    });

    it("ends the run on its goal when a call is logged before the timer fires", async () => {
      const lead = await post("/api/v1/leads", {
        first_name: "Grace",
        last_name: "Hopper",
        email: "grace@navy.example",
        score: 80,
        employee_count: 500,
      });
      const run = await waitingForCall(lead.id);
      // The auto-reply is an activity on the lead, and it does not meet the goal: the run still waits.
      expect(smtp.to("grace@navy.example")).toHaveLength(1);
      const activities = (await get(`/api/v1/activities?where=related_id:eq:${lead.id}`)).data;
      expect(activities.map((a: Json) => a.type)).toEqual(["email"]);
      expect((await get(`/api/v1/runs/${run.id}`)).status).toBe("waiting");
      const owner = (await get(`/api/v1/leads/${lead.id}`)).owner_id;
      await post("/api/v1/activities", { type: "call", related_id: lead.id, user_id: owner, subject: "Intro call" });
      const exited = await runOf(lead.id, "exited");
      expect(exited.id).toBe(run.id);
      expect(exited.reason).toBe("goal met");
      const detail = await get(`/api/v1/runs/${run.id}`);
      expect(detail.steps.at(-1)).toMatchObject({ type: "goal", outcome: "exited" });
      expect(detail.steps.at(-1).why).toBe("count of activity by related_id (1) gte 1 → true");
      // The cancelled timer never fires: skipping its wait is refused, the owner is unchanged.
      expect((await env.s.api(`/api/v1/runs/${run.id}/skip-wait`, { method: "POST" })).status).toBe(409);
      expect((await get(`/api/v1/leads/${lead.id}`)).owner_id).toBe(owner);
    });

    it("reassigns the lead and alerts the team lead when nobody calls in 15 minutes", async () => {
      const lead = await post("/api/v1/leads", {
        first_name: "Alan",
        last_name: "Turing",
        email: "alan@bletchley.example",
        score: 90,
        employee_count: 30,
      });
      const run = await waitingForCall(lead.id);
      const first = (await get(`/api/v1/leads/${lead.id}`)).owner_id;
      // Fifteen minutes pass: the timer is made due now instead of waiting for the wall clock.
      expect((await env.s.api(`/api/v1/runs/${run.id}/skip-wait`, { method: "POST" })).status).toBe(202);
      const done = await runOf(lead.id, "completed");
      expect(done.id).toBe(run.id);
      const second = (await get(`/api/v1/leads/${lead.id}`)).owner_id;
      expect(second).not.toBe(first);
      expect(reps.map((r) => r.id)).toContain(second);
      const notes = (await get(`/api/v1/notifications?user_id=${teamLead.id}`)).data;
      expect(notes.find((n: Json) => n.record_id === lead.id)).toMatchObject({
        message: "Lead Alan Turing was not called within 15 minutes and has been reassigned.",
        run_id: run.id,
      });
      const detail = await get(`/api/v1/runs/${run.id}`);
      expect(detail.steps.map((x: Json) => x.step)).toEqual([
        "assign",
        "call-task",
        "auto-reply",
        "auto-reply",
        "wait-for-call",
        "wait-for-call",
        "reassign",
        "alert-lead",
        "done",
      ]);
      expect(detail.steps[6].effects[0].why).toMatch(/^queue Inbound reps: weighted round-robin: /);
    });

    it("does not enroll leads that do not fit, and keeps runs on the version they started on", async () => {
      const small = await post("/api/v1/leads", { first_name: "Small", last_name: "Co", score: 90, employee_count: 3 });
      const big = await post("/api/v1/leads", { first_name: "Big", last_name: "Co", score: 90, employee_count: 300 });
      const bigRun = await waitingForCall(big.id);
      expect((await get(`/api/v1/runs?record_id=${small.id}`)).data).toEqual([]);
      // Big Co left no email address: the auto-reply fails, and the run goes on to wait for the call.
      const bigSteps = (await get(`/api/v1/runs/${bigRun.id}`)).steps;
      expect(bigSteps.map((x: Json) => [x.step, x.outcome])).toEqual([
        ["assign", "applied"],
        ["call-task", "applied"],
        ["auto-reply", "enqueued"],
        ["auto-reply", "fallback"],
        ["wait-for-call", "waiting"],
      ]);
      expect(bigSteps[3].why).toContain("no address to send to: the lead's email is not set");

      const def = JSON.parse(readFileSync("recipes/speed-to-lead.json", "utf8"));
      def.steps["call-task"].action.subject = "Call now: {{ record.last_name }}";
      const saved = await post("/api/v1/workflows", { definition: def });
      expect(saved.latest_version).toBe(2);
      await post(`/api/v1/workflows/${saved.id}/publish`, {});
      const newer = await post("/api/v1/leads", { first_name: "New", last_name: "Version", score: 90, employee_count: 300 });
      const newRun = await waitingForCall(newer.id);
      expect(newRun.version).toBe(2);
      expect((await get(`/api/v1/tasks?where=related_id:eq:${newer.id}`)).data[0].subject).toBe("Call now: Version");
      const oldRun = (await get(`/api/v1/runs?record_id=${big.id}`)).data[0];
      expect(oldRun.version).toBe(1);
      const versions = (await get(`/api/v1/workflows/${saved.id}`)).versions.map((v: Json) => [v.version, v.state]);
      expect(versions).toEqual([
        [2, "published"],
        [1, "archived"],
      ]);
    });

    it("replays every stored step of its runs: the stored input, the facts rebuilt to the stored digest and the state before give the same decision", async () => {
      const ws = env.s.workspace.id;
      const runs = await env.t.store.runs.queryRuns({ workspaceId: ws, limit: 1000 });
      expect(runs.length).toBe(5);
      const kinds = new Map<string, number>();
      for (const run of runs) for (const kind of await replayRun(env.t.store, run.id, ws)) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      // Steps, external results (success and fallback), the timer, the goal met on a record change.
      expect([...kinds.keys()].sort()).toEqual(["action_result", "continue", "record_changed", "timer_fired"]);
      expect([...kinds.values()].reduce((a, b) => a + b)).toBeGreaterThanOrEqual(30);
    });
  });
}
