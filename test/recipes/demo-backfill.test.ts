/**
 * The demo shows every capability working on first start: a freshly seeded demo workspace gets
 * re-engagement runs at once (its worked leads last touched over 30 days ago are backfilled when
 * the recipe is installed), instead of nothing for 30 days.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { seedDemo } from "../../src/seed/demo.js";
import { seedCalendars } from "../../src/seed/demo-calendars.js";
import { seedSlaPolicies } from "../../src/seed/demo-sla.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

describe("the seeded demo's recipes on first start", () => {
  let t: TestStore;
  let s: TestServer;
  let token: string;
  const api = async (path: string): Promise<Json> => (await s.api(path, { as: token })).json() as Promise<Json>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const { workspace, recipes } = await seedDemo(s.services);
    const reengagement = recipes.find((r) => r.key === "re-engagement-cold-leads");
    expect(reengagement).toMatchObject({ state: "published" });
    expect(reengagement?.state === "published" ? reengagement.backfilled : 0).toBeGreaterThan(0);
    token = (await s.services.tokens.create(workspace.id, "demo test", "admin")).secret;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
  });

  it("runs on first start for the leads that went quiet", async () => {
    const w = ((await api("/api/v1/workflows")).data as Json[]).find((x) => x.key === "re-engagement-cold-leads");
    const runs = await eventually(
      "re-engagement runs",
      async () => {
        const data = (await api(`/api/v1/runs?workflow_id=${w?.id}`)).data as Json[];
        return data.length > 0 ? data : undefined;
      },
      30_000,
    );
    expect(runs.length).toBeGreaterThan(0);
    // Each created the owner's re-engagement task and is now waiting for activity.
    expect(runs.some((r) => r.status === "waiting" && r.step === "wait-for-activity")).toBe(true);
    // None of them took the seed's own history (the activity that made the lead go quiet) for news.
    await new Promise((r) => setTimeout(r, 1_000));
    const later = (await api(`/api/v1/runs?workflow_id=${w?.id}&limit=500`)).data as Json[];
    expect(later.filter((r) => r.status === "completed")).toEqual([]);
  });

  it("runs speed-to-lead for the morning's inbound leads: owners assigned, P1 tasks, counts on the canvas", async () => {
    const w = ((await api("/api/v1/workflows")).data as Json[]).find((x) => x.key === "speed-to-lead");
    const counts = await eventually(
      "speed-to-lead runs waiting for the call",
      async () => {
        const c = (await api(`/api/v1/workflows/${w?.id}/step-counts`)) as Json;
        return c.steps?.["wait-for-call"]?.waiting === 6 ? c : undefined;
      },
      30_000,
    );
    // Every one of the six passed the assignment and the call task on its way to the wait.
    expect(counts.steps.assign.passed).toBe(6);
    expect(counts.steps["call-task"].passed).toBe(6);
    // The morning's runs wait for the call; the others are the KPI history's, ended days and
    // months ago (demo-kpis.ts).
    const all = (await api(`/api/v1/runs?workflow_id=${w?.id}&limit=500`)).data as Json[];
    const runs = all.filter((r) => r.status === "waiting");
    expect(runs).toHaveLength(6);
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((r) => r.status !== "waiting").every((r) => ["completed", "exited", "failed"].includes(r.status))).toBe(true);
    for (const run of runs) {
      const lead = (await api(`/api/v1/leads/${run.record_id}`)) as Json;
      expect(lead.source).toBe("web_form");
      expect(typeof lead.owner_id).toBe("string");
    }
  });

  it("routes the demo's leads without an owner through its rule set, keeping why, and simulates without writing", async () => {
    const queues = (await api("/api/v1/routing/queues")).data as Json[];
    expect(queues.map((q) => q.name).sort()).toEqual([
      "APAC inbound",
      "After-hours desk",
      "Americas inbound",
      "EMEA inbound",
      "Inbound reps",
      "Support triage",
    ]);
    const every = (await api("/api/v1/routing/assignments?limit=200")).data as Json[];
    // The demo's tickets are routed by their classify workflow (demo-ai.test.ts); here, the leads.
    const all = every.filter((a) => a.object === "lead");
    // Speed-to-lead gave the morning's six inbound leads their owners through its queue (or, at
    // night, its fallback); the rule set routed the rest.
    const bySpeedToLead = all.filter((a) => a.source.kind === "workflow");
    expect(bySpeedToLead).toHaveLength(6);
    const viaInboundReps = (a: Json) =>
      a.queue.name === "Inbound reps" || (a.fallbacks as string[]).some((f) => f.includes("Inbound reps"));
    expect(bySpeedToLead.every((a) => viaInboundReps(a) && a.outcome === "assigned")).toBe(true);
    const recent = all.filter((a) => a.source.kind !== "workflow");
    expect(recent.length).toBeGreaterThan(30);
    expect(recent.every((a) => a.source.kind === "rule_set_applied" && a.rule_set.name === "Inbound lead routing")).toBe(true);
    // Whatever the hour the demo starts, every lead got an owner or waits in the APAC queue.
    expect(recent.every((a) => a.outcome === "assigned" || (a.outcome === "held" && a.queue.name === "APAC inbound"))).toBe(true);
    // The rep who switched themselves off shows in the reasons, whatever the hour: among the
    // candidates of the queue that chose, or (at night in the Americas, when the default queue
    // falls back to the after-hours desk) in the why of the queue that could not.
    const switchedOff = recent.filter(
      (a) => (a.candidates as Json[]).some((c) => c.reason_code === "unavailable") || String(a.why).includes("switched to unavailable"),
    );
    expect(switchedOff.length).toBeGreaterThan(0);
    const dist = await api("/api/v1/routing/distribution?days=30");
    const assigned = (dist.queues as Json[]).flatMap((q) => q.members as Json[]).reduce((n, m) => n + m.count, 0);
    expect(assigned).toBe(every.filter((a) => a.outcome === "assigned").length);
    const res = await s.api("/api/v1/routing/rule-sets/Inbound%20lead%20routing/simulate", {
      as: token,
      method: "POST",
      json: { last: 50 },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).records).toBe(50);
    expect(((await api("/api/v1/routing/assignments?limit=200")).data as Json[]).length).toBe(every.length);
  });

  it("has the business calendars: office hours as the default, Support EU on the EMEA team, 24×7, seeded once", async () => {
    const calendars = (await api("/api/v1/calendars")).data as Json[];
    expect(calendars.map((c) => [c.name, c.default])).toEqual([
      ["Around the clock", false],
      ["Business hours", true],
      ["Support EU", false],
    ]);
    expect(calendars[0]).toMatchObject({ time_zone: "UTC", hours: {}, holidays: null });
    calendars.shift();
    expect(calendars[0]).toMatchObject({
      time_zone: "America/New_York",
      holidays: { country: "US" },
      hours: { mon: [["09:00", "17:30"]] },
    });
    expect(Object.keys(calendars[0]?.hours ?? {})).toEqual(["mon", "tue", "wed", "thu", "fri"]);
    expect(calendars[1]).toMatchObject({
      time_zone: "Europe/Paris",
      holidays: { country: "FR" },
      hours: {
        fri: [
          ["09:00", "12:30"],
          ["13:30", "18:00"],
        ],
      },
      closed_dates: [
        { date: "2026-12-24", name: "Christmas Eve — office closed" },
        { date: "2026-12-31", name: "New Year's Eve — office closed" },
      ],
    });
    const teams = (await api("/api/v1/teams?limit=50")).data as Json[];
    expect(teams.filter((t) => t.calendar !== undefined && t.calendar !== null).map((t) => [t.name, t.calendar])).toEqual([
      ["EMEA", "Support EU"],
    ]);
    // Seeding the calendars again changes nothing.
    const workspace = await s.services.workspaces.bySlug("demo");
    expect(await seedCalendars(s.services, systemContext(workspace.id, "seed"), workspace)).toEqual([]);
    expect(((await api("/api/v1/calendars")).data as Json[]).slice(1)).toEqual(calendars);
  });

  it("has the SLA policies on the calendars it seeded, and each team's on-call rotation of its reps, seeded once", async () => {
    const policies = (await api("/api/v1/sla/policies")).data as Json[];
    expect(policies.map((p) => [p.name, p.object, p.enabled])).toEqual([
      ["Lead first contact", "lead", true],
      ["P1 resolution", "ticket", true],
      ["Ticket first response", "ticket", true],
    ]);
    expect(policies.find((p) => p.name === "P1 resolution")?.calendar).toEqual({ name: "Around the clock" });
    const workspace = await s.services.workspaces.bySlug("demo");
    expect(await seedSlaPolicies(s.services, systemContext(workspace.id, "seed"))).toEqual([]);
    const teams = (await api("/api/v1/teams?limit=50")).data as Json[];
    const reps = (await api("/api/v1/users?limit=100&where=role:eq:rep")).data as Json[];
    for (const team of teams) {
      const mine = reps.filter((r) => r.team_id === team.id).map((r) => r.id);
      // The approvers' teams (Sales Leadership, Finance) have no reps and no on-call week.
      if (mine.length === 0) {
        expect(team.on_call?.members ?? [], team.name).toEqual([]);
        continue;
      }
      expect(team.on_call?.members, team.name).toEqual(expect.arrayContaining(mine));
      expect(team.on_call.members).toHaveLength(mine.length);
    }
  });

  it("has approvals in every state: waiting for the VP, sent back, approved with the quote task, the away CFO's delegate asked, one automatic", async () => {
    const all = (await api("/api/v1/approvals?view=all&limit=50")).data as Json[];
    const byStatus = (status: string) => all.filter((r) => r.status === status);
    // The automatic approval asks nobody: it is in its run's log, not a request.
    expect(all).toHaveLength(4);
    expect(byStatus("pending")).toHaveLength(2);
    expect(byStatus("revise")).toHaveLength(1);
    expect(byStatus("approved")).toHaveLength(1);
    const vpWaiting = byStatus("pending").find((r) => r.levels[0].name === "VP Sales");
    expect(vpWaiting?.waiting_on).toEqual(["Valerie Quinn"]);
    expect(vpWaiting?.stake.find((x: Json) => x.field === "discount_pct")?.value).toBe(25);
    // The CFO is away: the demo admin decides for him, so the first sign-in finds it waiting.
    const admin = ((await api("/api/v1/users?where=role:eq:admin&limit=10")).data as Json[]).find((u) => u.name === "Demo Admin");
    const workspace = await s.services.workspaces.bySlug("demo");
    const asAdmin = (await s.services.tokens.create(workspace.id, "the demo admin", "admin", admin?.id)).secret;
    const mine = ((await (await s.api("/api/v1/approvals?view=mine", { as: asAdmin })).json()) as Json).data as Json[];
    expect(mine).toHaveLength(1);
    const [cfoLevel] = (mine[0] as Json).levels as Json[];
    expect(cfoLevel?.name).toBe("CFO");
    expect(cfoLevel?.approvers[0]).toMatchObject({ name: "Demo Admin", on_behalf_of: { name: "Cyrus Banks" } });
    const sentBack = (await api(`/api/v1/approvals/${byStatus("revise")[0]?.id}`)) as Json;
    expect(sentBack.history.map((h: Json) => h.kind)).toContain("voted");
    expect(JSON.stringify(sentBack.levels)).toContain("two-year term");
    // The approved discount moved the deal on: its owner has the task to send the quote.
    const approved = byStatus("approved")[0];
    const tasks = (await api(`/api/v1/tasks?where=related_id:eq:${approved?.record.id}&limit=50`)).data as Json[];
    expect(tasks.some((t) => String(t.subject).startsWith("Send the approved quote"))).toBe(true);
    // The small one went through at once: its run approved it automatically and made the same task.
    const w = ((await api("/api/v1/workflows")).data as Json[]).find((x) => x.key === "discount-approval");
    const counts = (await api(`/api/v1/workflows/${w?.id}/step-counts`)) as Json;
    expect(counts.steps["send-quote"].passed).toBe(2);
  });
});
