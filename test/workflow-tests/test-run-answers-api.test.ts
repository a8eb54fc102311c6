/**
 * Tester answers for event waits and SLA outcomes in test runs over HTTP (issue 19; docs/
 * testing-workflows.md "Answers"), on both stores: a `wait_for` answered with "a call is logged
 * after 5 minutes" (the activity made in the sandbox, the wait met at that simulated instant),
 * after 20 minutes (the 15-minute timeout comes first), or let to time out; a condition wait met
 * by the change the answer supplies; an SLA trigger's milestone chosen (breach enrolls, met does
 * not); an SLA clock at a wait met (its stop made) or left to breach. Nothing live is written.
 * And the tries that must be refused, each naming the answer's path.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Json, rowCounts } from "../helpers/sandbox-workspace.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const callWait = {
  key: "call-wait",
  name: "Call within 15 minutes",
  description: "A lead nobody calls within 15 minutes is marked unqualified, so that it goes back to the pool.",
  object: "lead",
  trigger: { type: "manual" },
  start: "wait-for-call",
  steps: {
    "wait-for-call": {
      type: "wait_for",
      event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
      timeout: { minutes: 15 },
      next: "called",
      on_timeout: "not-called",
    },
    called: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "done" },
    "not-called": { type: "action", action: { type: "update_fields", fields: { status: "unqualified" } }, next: "done" },
    done: { type: "end" },
  },
};

const scoreWait = {
  key: "score-wait",
  name: "Wait for a warm score",
  description: "A lead whose score reaches 50 within a day is qualified.",
  object: "lead",
  trigger: { type: "manual" },
  start: "warm",
  steps: {
    warm: {
      type: "wait_for",
      condition: { field: "score", op: "gte", value: 50 },
      timeout: { days: 1 },
      next: "qualify",
      on_timeout: "done",
    },
    qualify: { type: "action", action: { type: "update_fields", fields: { status: "qualified" } }, next: "done" },
    done: { type: "end" },
  },
};

const RESOLUTION = {
  name: "Resolution",
  description: "Tickets are resolved within an hour",
  object: "ticket",
  starts: { on: "created" },
  stops: { on: "field_value", field: "status", in: ["resolved", "closed"] },
  target: { hours: 1 },
  warning: { fraction: 0.5 },
};

const breachEscalates = {
  key: "breach-escalates",
  name: "Breach escalates",
  description: "A ticket whose resolution SLA is breached goes to P1.",
  object: "ticket",
  trigger: { type: "sla", policy: "Resolution", milestones: ["breach"] },
  start: "p1",
  steps: {
    p1: { type: "action", action: { type: "update_fields", fields: { priority: "P1" } }, next: "done" },
    done: { type: "end" },
  },
};

const awaitResolution = {
  key: "await-resolution",
  name: "Thank on resolution",
  description: "A ticket resolved within four hours gets a thank-you; otherwise it is put on hold for review.",
  object: "ticket",
  trigger: { type: "record_created" },
  start: "resolved",
  steps: {
    resolved: {
      type: "wait_for",
      condition: { field: "status", op: "eq", value: "resolved" },
      timeout: { hours: 4 },
      next: "thank",
      on_timeout: "hold",
    },
    thank: { type: "action", action: { type: "update_fields", fields: { category: "thanked" } }, next: "done" },
    hold: { type: "action", action: { type: "update_fields", fields: { status: "on_hold" } }, next: "done" },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`tester answers at waits and SLA outcomes on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let before: Record<string, number>;
    const lead = { first_name: "Ada", last_name: "Lovelace", score: 20 };
    const ticket = { subject: "Printer on fire" };
    beforeAll(async () => {
      await env.s.publish(callWait);
      await env.s.publish(scoreWait);
      expect((await env.s.api("/api/v1/sla/policies", { method: "POST", json: RESOLUTION })).status).toBe(201);
      await env.s.publish(breachEscalates);
      await env.s.publish(awaitResolution);
      before = await rowCounts(env.t.store);
    });
    const testRun = async (id: string, body: unknown): Promise<Json> => {
      const res = await env.s.api(`/api/v1/workflows/${id}/test-runs`, { method: "POST", json: body });
      const json = (await res.json()) as Json;
      return { ...json, http: res.status };
    };
    const minutesIn = (r: Json, at: string) => (Date.parse(at) - Date.parse(r.simulated.started_at)) / 60_000;

    it("a call logged 5 minutes into a 15-minute wait_for meets the wait at that simulated instant", async () => {
      const r = await testRun("call-wait", { record: lead, answers: { "wait-for-call": { event_after_minutes: 5 } } });
      expect(r.http).toBe(200);
      expect(r.status).toBe("completed");
      expect(r.path).toEqual(["wait-for-call", "called", "done"]);
      expect(r.record.status).toBe("working");
      expect(r.answered).toEqual([expect.objectContaining({ step: "wait-for-call", applied: true })]);
      expect(r.answered[0].what).toBe("an activity (type: call) created for the record, 5 min later");
      expect(minutesIn(r, r.answered[0].at)).toBe(5);
      const met = r.steps.find((s: Json) => s.step === "wait-for-call" && s.outcome === "event_arrived");
      expect(met).toBeTruthy();
      expect(minutesIn(r, met.at)).toBe(5);
    });

    it("a call 20 minutes later comes after the 15-minute timeout: the wait times out first and the answer is not applied", async () => {
      const r = await testRun("call-wait", { record: lead, answers: { "wait-for-call": { event_after_minutes: 20 } } });
      expect(r.path).toEqual(["wait-for-call", "not-called", "done"]);
      expect(r.record.status).toBe("unqualified");
      expect(r.answered).toEqual([expect.objectContaining({ step: "wait-for-call", applied: false })]);
    });

    it("a call that is not of the awaited type (fields given) does not meet the wait", async () => {
      const r = await testRun("call-wait", {
        record: lead,
        answers: { "wait-for-call": { event_after_minutes: 5, fields: { type: "email" } } },
      });
      expect(r.path).toEqual(["wait-for-call", "not-called", "done"]);
    });

    it("timeout: nothing arrives, step by step too", async () => {
      const r = await testRun("call-wait", { record: lead, mode: "to_next_wait", answers: { "wait-for-call": { timeout: true } } });
      expect(r.status).toBe("completed");
      expect(r.path).toEqual(["wait-for-call", "not-called", "done"]);
      expect(minutesIn(r, r.answered[0].at)).toBe(15);
      const stopped = await testRun("call-wait", { record: lead, mode: "to_next_wait" });
      expect(stopped).toMatchObject({ status: "waiting", stopped: "waiting" });
      expect(stopped.run.wait.kind).toBe("wait_for");
    });

    it("a condition wait is met by the change the answer supplies, worked out from the condition", async () => {
      const r = await testRun("score-wait", { record: lead, answers: { warm: { event_after_minutes: 90 } } });
      expect(r.path).toEqual(["warm", "qualify", "done"]);
      expect(r.record).toMatchObject({ score: 50, status: "qualified" });
      expect(r.fields_written.map((f: Json) => f.field)).toEqual(["status"]);
      expect(minutesIn(r, r.answered[0].at)).toBe(90);
    });

    it("an sla trigger: breach enrolls; met and a milestone the trigger does not name do not, and say why", async () => {
      const breach = await testRun("breach-escalates", { record: ticket, answers: { "@trigger": { sla: "breach" } } });
      expect(breach.status).toBe("completed");
      expect(breach.path).toEqual(["p1", "done"]);
      expect(breach.record.priority).toBe("P1");
      expect(breach.answered[0]).toMatchObject({ step: "@trigger", applied: true });
      const met = await testRun("breach-escalates", { record: ticket, answers: { "@trigger": { sla: "met" } } });
      expect(met).toMatchObject({ status: "not_enrolled", stopped: "not_enrolled", path: [] });
      expect(met.reason).toMatch(/was met/);
      const warning = await testRun("breach-escalates", { record: ticket, answers: { "@trigger": { sla: "warning" } } });
      expect(warning.status).toBe("not_enrolled");
      expect(warning.reason).toMatch(/does not listen to the warning milestone/);
    });

    it("an SLA clock at a wait: met after 30 minutes resolves the ticket and meets the wait; breach lets time pass to the breach", async () => {
      const open = await testRun("await-resolution", { record: ticket, mode: "to_next_wait" });
      expect(open.sla_clocks).toEqual([expect.objectContaining({ policy: "Resolution", phase: "running", fired: [] })]);
      const met = await testRun("await-resolution", { record: ticket, answers: { resolved: { sla: "met", after_minutes: 30 } } });
      expect(met.path).toEqual(["resolved", "thank", "done"]);
      expect(met.record).toMatchObject({ status: "resolved", category: "thanked" });
      expect(met.sla_clocks[0].phase).toBe("stopped");
      expect(minutesIn(met, met.answered[0].at)).toBe(30);

      const breached = await testRun("await-resolution", {
        record: ticket,
        mode: "to_next_wait",
        answers: { resolved: { sla: "breach" } },
      });
      expect(breached.answered[0]).toMatchObject({ step: "resolved", applied: true });
      expect(minutesIn(breached, breached.answered[0].at)).toBe(60);
      expect(breached.sla_clocks[0].fired).toEqual(["warning", "breach"]);
      // Still waiting at the 4-hour wait: the breach alone does not resolve the ticket.
      expect(breached).toMatchObject({ status: "waiting", stopped: "waiting" });
      expect(breached.path).toEqual(["resolved"]);
    });

    it("a test case keeps its answers: saved with an SLA outcome and a wait's event, run over HTTP, it passes", async () => {
      const saved = await env.s.api("/api/v1/workflows/await-resolution/test-cases", {
        method: "POST",
        json: {
          name: "Resolved in 30 minutes: thanked",
          record: ticket,
          answers: { resolved: { sla: "met", after_minutes: 30 } },
          expect: { path: ["resolved", "thank", "done"], fields: { category: "thanked" } },
        },
      });
      expect(saved.status).toBe(201);
      const ran = (await env.s.json("/api/v1/workflows/await-resolution/test-cases/run", { method: "POST", json: {} })) as Json;
      expect(ran).toMatchObject({ passed: 1, failed: 0 });
      before = await rowCounts(env.t.store);
    });

    it("wrote nothing to any live table", async () => {
      expect(await rowCounts(env.t.store)).toEqual(before);
    });

    describe("refused answers name their path", () => {
      it("an SLA answer where no clock runs", async () => {
        const r = await testRun("call-wait", { record: lead, answers: { "wait-for-call": { sla: "met" } } });
        expect(r.http).toBe(422);
        expect(r.errors.map((e: Json) => e.path)).toEqual(["answers.wait-for-call.sla"]);
      });

      it("an awaited record whose fields do not validate", async () => {
        const r = await testRun("call-wait", {
          record: lead,
          answers: { "wait-for-call": { event_after_minutes: 1, fields: { type: "carrier pigeon" } } },
        });
        expect(r.http).toBe(422);
        expect(r.errors[0].path).toBe("answers.wait-for-call.fields.type");
      });

      it("an event or a timeout answer at a step that is not a wait_for", async () => {
        await env.s.publish({
          key: "hold-ten",
          name: "Hold ten minutes",
          description: "A plain delay, to be answered wrongly.",
          object: "lead",
          trigger: { type: "manual" },
          start: "hold",
          steps: { hold: { type: "delay", duration: { minutes: 10 }, next: "done" }, done: { type: "end" } },
        });
        before = await rowCounts(env.t.store);
        for (const answer of [{ event_after_minutes: 1 }, { timeout: true }]) {
          const r = await testRun("hold-ten", { record: lead, answers: { hold: answer } });
          expect(r.http).toBe(422);
          expect(r.errors[0]).toMatchObject({ path: "answers.hold" });
          expect(r.errors[0].message).toContain("is a delay step");
        }
      });

      it("a negative or unknown answer, and an sla trigger answered with something else", async () => {
        const negative = await testRun("call-wait", { record: lead, answers: { "wait-for-call": { event_after_minutes: -5 } } });
        expect(negative.http).toBe(422);
        const unknown = await testRun("call-wait", { record: lead, answers: { "wait-for-call": { happens: "now" } } });
        expect(unknown.http).toBe(422);
        const wrong = await testRun("breach-escalates", { record: ticket, answers: { "@trigger": { pass: true } } });
        expect(wrong.http).toBe(422);
        expect(wrong.errors[0].path).toBe("answers.@trigger");
      });
    });
  });
}
