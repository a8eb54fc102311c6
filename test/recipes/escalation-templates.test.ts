/**
 * The five escalation templates escalate (issue 17; docs/sla.md "Escalation templates"), over
 * real HTTP with the worker, on both stores: installed from the gallery on a workspace set up like
 * the demo, one matching record each, time driven through the server's clock
 * (helpers/escalation-workspace.ts says how). For each: the escalation happened exactly once —
 * one run, the tasks, notifications and owner change it promises, to the right people — and it
 * shows on the record's timeline as the run's steps with their why.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onCallAt } from "../../src/crm/on-call.js";
import { buildEscalationWorld, type EscalationWorld, SimClock } from "../helpers/escalation-workspace.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { STORES, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the escalation templates escalate on ${kind.name}`, () => {
    let t: TestStore;
    let s: TestServer;
    let w: EscalationWorld;
    const clock = new SimClock();
    const get = (path: string) => s.json(path, { as: w.token });

    beforeAll(async () => {
      t = await kind.open();
      s = await startTestServer(t, {}, { worker: true, clock, slaDueByServiceClock: true });
      w = await buildEscalationWorld(s, clock);
      // Let the worker settle: anything that would fire twice has had its chance.
      await new Promise((r) => setTimeout(r, 1_500));
    }, 120_000);
    afterAll(async () => {
      await s?.close();
      await t?.dispose();
    });

    const allRuns = async (key: string) => (await get(`/api/v1/runs?workflow_id=${w.workflows[key]}&limit=100`)).data as Json[];
    const tasksAbout = async (recordId: string) => (await get(`/api/v1/tasks?limit=100&where=related_id:eq:${recordId}`)).data as Json[];
    const notificationsAbout = async (recordId: string) =>
      (await t.store.notifications.listNotifications({ workspaceId: w.workspaceId, userId: null, limit: 1_000 })).filter(
        (n) => n.recordId === recordId,
      );
    /** The record's timeline entries of one workflow's steps (one run each here), in the run's order. */
    const stepsOnTimeline = async (objects: string, recordId: string, key: string) =>
      ((await get(`/api/v1/${objects}/${recordId}/timeline`)).data as Json[])
        .filter((i) => i.kind === "workflow_step" && i.workflow?.key === key)
        .sort((a, b) => a.seq - b.seq);
    const expectSteps = (steps: Json[], names: string[]) => {
      expect(steps.filter((x) => x.type === "action" || x.type === "end" || x.type === "wait_for").map((x) => x.step)).toEqual(names);
      for (const x of steps) expect(x.why, `${x.step}'s why`).toMatch(/\w/);
    };
    const rep = (k: number) => w.reps[k]?.id;
    const eastManager = () => w.managers[0]?.id;

    it("stuck deal: 14 days in one open stage → one task for the rep, one note to the manager, on the timeline", async () => {
      const deal = w.records.stuckDeal;
      expect(Date.now() - Date.parse(deal.stage_entered_at)).toBeGreaterThan(14 * 86_400_000 - 60_000);
      expect(await allRuns("escalation-stuck-deal")).toEqual([expect.objectContaining({ record_id: deal.id, status: "completed" })]);
      const tasks = await tasksAbout(deal.id);
      expect(tasks.map((x) => [x.subject, x.owner_id, x.priority])).toEqual([
        ["Stuck deal: Globex — Expansion has been in proposal for 14 days", rep(0), "P2"],
      ]);
      const notes = await notificationsAbout(deal.id);
      expect(notes.map((n) => n.userId)).toEqual([eastManager()]);
      expect(notes[0]?.message).toContain("has been in proposal for 14 days");
      const steps = await stepsOnTimeline("deals", deal.id, "escalation-stuck-deal");
      expectSteps(steps, ["alert-rep", "alert-manager", "done"]);
      expect(steps.find((x) => x.step === "alert-manager")?.effects).toEqual([
        expect.objectContaining({ command: "notify", user_id: eastManager() }),
      ]);
    });

    it("overdue task: open 48 h after due → priority P1 and one note to the owner's team lead, on the timeline", async () => {
      const task = w.records.overdueTask;
      expect(await allRuns("escalation-overdue-task")).toEqual([expect.objectContaining({ record_id: task.id, status: "completed" })]);
      expect(await get(`/api/v1/tasks/${task.id}`)).toMatchObject({ priority: "P1", status: "open", owner_id: rep(1) });
      const notes = await notificationsAbout(task.id);
      expect(notes.map((n) => n.userId)).toEqual([eastManager()]);
      expect(notes[0]?.message).toContain('"Send the signed order form" was due');
      const steps = await stepsOnTimeline("tasks", task.id, "escalation-overdue-task");
      expectSteps(steps, ["raise-priority", "tell-team-lead", "done"]);
      expect(steps[0]?.effects).toEqual([expect.objectContaining({ command: "update_record", fields: { priority: "P1" } })]);
    });

    it("at-risk renewal: won, ending within 60 days, silent 30 → the retention playbook runs once: a save call, the manager told, waiting", async () => {
      const deal = w.records.renewal;
      expect(await allRuns("escalation-at-risk-renewal")).toEqual([expect.objectContaining({ record_id: deal.id, status: "completed" })]);
      const playbook = await allRuns("retention-playbook");
      expect(playbook).toEqual([expect.objectContaining({ record_id: deal.id, status: "waiting", step: "wait-for-engagement" })]);
      const tasks = await tasksAbout(deal.id);
      expect(tasks.map((x) => [x.subject, x.owner_id, x.priority])).toEqual([
        [`Retention call: Initech — Renewal renews on ${deal.contract_end_date}`, rep(2), "P1"],
      ]);
      const notes = await notificationsAbout(deal.id);
      expect(notes.map((n) => n.userId)).toEqual([eastManager()]);
      expect(notes[0]?.message).toContain("Renewal at risk: Initech — Renewal");
      // Both runs on the deal's timeline: the escalation enrolled the playbook, the playbook's steps.
      const escalation = await stepsOnTimeline("deals", deal.id, "escalation-at-risk-renewal");
      expectSteps(escalation, ["start-playbook", "done"]);
      expect(escalation[0]?.effects).toEqual([expect.objectContaining({ command: "enroll", workflow: "retention-playbook" })]);
      const steps = await stepsOnTimeline("deals", deal.id, "retention-playbook");
      expectSteps(steps, ["save-call", "tell-manager", "wait-for-engagement"]);
    });

    it("stale lead: the Lead first contact SLA breaches → the manager told, reassigned via Inbound reps leaving the old owner out, one call task for the new owner", async () => {
      const lead = w.records.staleLead;
      expect(await allRuns("escalation-stale-lead")).toEqual([expect.objectContaining({ record_id: lead.id, status: "completed" })]);
      const clocks = (await get(`/api/v1/leads/${lead.id}/sla`)).data as Json[];
      const first = clocks.find((c) => c.history.some((h: Json) => h.kind === "breached"));
      expect(first?.policy.name).toBe("Lead first contact");
      const now = await get(`/api/v1/leads/${lead.id}`);
      expect(now.owner_id).not.toBe(rep(3));
      expect(typeof now.owner_id).toBe("string");
      const tasks = await tasksAbout(lead.id);
      expect(tasks.map((x) => [x.subject, x.owner_id, x.priority])).toEqual([
        ["Call Wanda Waiting: reassigned after the first-contact SLA was missed", now.owner_id, "P1"],
      ]);
      const notes = (await notificationsAbout(lead.id)).filter((n) => n.runId !== null && n.message.includes("first-contact SLA"));
      expect(notes.map((n) => n.userId)).toEqual([eastManager()]);
      const steps = await stepsOnTimeline("leads", lead.id, "escalation-stale-lead");
      expectSteps(steps, ["tell-manager", "reassign", "call-task", "done"]);
      const assign = steps.find((x) => x.step === "reassign")?.effects[0] as Json;
      expect(assign).toMatchObject({ command: "assign_owner", field: "owner_id", user_id: now.owner_id, outcome: "assigned" });
      // Routing's reason is on the timeline too, and leaves the old owner out.
      const reasons = ((await get(`/api/v1/leads/${lead.id}/timeline`)).data as Json[]).filter((i) => i.kind === "assignment");
      expect(reasons).toHaveLength(1);
      expect(reasons[0]?.assignment.user_id).toBe(now.owner_id);
    });

    it("P1 breach: open past 4 h on 24×7 → the assignee's team's on-call person paged and given a P1 task, the manager told, once", async () => {
      const ticket = w.records.p1;
      expect(await allRuns("escalation-p1-breach")).toEqual([expect.objectContaining({ record_id: ticket.id, status: "completed" })]);
      const clocks = (await get(`/api/v1/tickets/${ticket.id}/sla`)).data as Json[];
      expect(clocks.find((c) => c.policy.name === "P1 resolution")?.status).toBe("breached");
      const team = await get(`/api/v1/teams/${w.teams[0]?.id}`);
      const shift = onCallAt(team.on_call, team.time_zone, w.slaInstant);
      const onCall = shift?.userId;
      expect(onCall).toBeDefined();
      // Paged: the person on call, not the assignee.
      expect(onCall).not.toBe(ticket.assignee_id);
      const tasks = await tasksAbout(ticket.id);
      expect(tasks.map((x) => [x.subject, x.owner_id, x.priority])).toEqual([["P1 breach: Checkout is down", onCall, "P1"]]);
      const notes = (await notificationsAbout(ticket.id)).filter((n) => n.runId !== null);
      expect(notes.map((n) => n.userId).sort()).toEqual([onCall, eastManager()].sort());
      expect(notes.find((n) => n.userId === onCall)?.message).toContain("You are on call");
      const steps = await stepsOnTimeline("tickets", ticket.id, "escalation-p1-breach");
      expectSteps(steps, ["page-on-call", "on-call-task", "tell-manager", "done"]);
      // The page's why names who is on call and until when (docs/sla.md, "On-call").
      expect(steps[0]?.effects).toEqual([
        expect.objectContaining({ command: "notify", user_id: onCall, why: expect.stringContaining("on call") }),
      ]);
    });
  });
}
