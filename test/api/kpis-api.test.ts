/**
 * KPIs over HTTP on both stores (issue 22, "Done when"), on a history built by hand with a
 * simulated clock, each answer worked out here: three leads answered after 2, 5 and 30 minutes →
 * median 5; a note and an automated email are not answers; people's and a workflow's writes give
 * the manual touches and the automation share; cutting by the workflow that handled the leads
 * (and by one that did not) splits the cohort; the records behind the number come slowest first;
 * a rebuild from scratch gives what the increments gave; SLA targets met and missed give the SLA
 * attainment, cut by the tickets' assignee, and the escalation completion of their breaches; deals
 * won and their companies' onboarding tickets give the onboarding handoff completion. Bad
 * parameters get a 400 naming them.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`KPIs over HTTP on ${kind.name}`, () => {
    // Ten days ago at 10:00 UTC, then moved by the test.
    const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
    let at = start;
    const clock = { now: () => new Date(at) };
    // SLA milestones fall due by the simulated clock, so that a breach fires when the test moves time.
    const env = useTestServer(kind, () => [{}, { worker: true, clock, slaDueByServiceClock: true }]);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const kpisOf = async (query = "") => {
      await env.s.services.kpiRollup.catchUp();
      const body = await env.s.json(`/api/v1/kpis?from=${day(start - DAY)}&to=${day(start + DAY)}${query}`);
      return Object.fromEntries((body.data as Json[]).map((k) => [k.key, k]));
    };

    it("computes response time, manual touches, automation share and failures from a hand-built history", async () => {
      const s = env.s;
      const flow = await s.publish({
        key: "tag-new-leads",
        name: "Tag new leads",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "record_created" },
        start: "tag",
        steps: { tag: { type: "action", action: { type: "update_fields", fields: { country: "US" } } } },
      });
      const leads: Json[] = [];
      for (const name of ["Ada", "Brook", "Cyd"]) leads.push(await s.post("/api/v1/leads", { last_name: name, status: "new" }));
      const [a, b, c] = leads as [Json, Json, Json];
      // The workflow tags each lead once.
      for (;;) {
        const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
        if (runs.length === 3 && runs.every((r) => r.status === "completed")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const activity = (minutes: number, body: Json) => {
        at = start + minutes * MIN;
        return s.post("/api/v1/activities", body);
      };
      await activity(1, { type: "note", related_id: c.id, subject: "Not an answer" });
      await activity(1, { type: "email", related_id: b.id, subject: "Automated", made_by: "handoff" });
      await activity(2, { type: "call", related_id: a.id });
      await activity(5, { type: "email", related_id: b.id, subject: "Hello" });
      // Logged at minute 40, it happened at minute 30: the answer is when it happened.
      await activity(40, { type: "meeting", related_id: c.id, occurred_at: new Date(start + 30 * MIN).toISOString() });
      await activity(45, { type: "call", related_id: a.id, subject: "A second call answers nothing new" });
      // People change Ada twice and Brook once.
      await s.json(`/api/v1/leads/${a.id}`, { method: "PATCH", json: { title: "CTO" } });
      await s.json(`/api/v1/leads/${a.id}`, { method: "PATCH", json: { status: "working" } });
      await s.json(`/api/v1/leads/${b.id}`, { method: "PATCH", json: { status: "working" } });

      const k = await kpisOf();
      expect(k.lead_response_time).toMatchObject({
        value: 5,
        count: 3,
        unit: "minutes",
        series: [{ day: day(start), value: 5, count: 3 }],
      });
      const drill = await s.json(`/api/v1/kpis/lead_response_time/records?from=${day(start)}&to=${day(start)}`);
      expect(drill.data.map((r: Json) => [r.id, r.value])).toEqual([
        [c.id, 30],
        [b.id, 5],
        [a.id, 2],
      ]);
      // People's writes after creation: Ada 2, Brook 1, Cyd 0 → 1 per lead (activities are their own records).
      expect(k.manual_touches_per_record).toMatchObject({ value: 1, count: 3 });
      // Writes to leads: 3 by people above, 3 by the workflow — and what logging activities wrote to the leads themselves.
      const writes = await s.json(`/api/v1/kpis/automation_share?from=${day(start)}&to=${day(start)}`);
      expect(writes.data.count).toBeGreaterThanOrEqual(6);
      expect(writes.data.value).toBeCloseTo((3 / writes.data.count) * 100, 2);
      // The workflow ran on all three leads.
      expect(k.adoption).toMatchObject({ value: 100, count: 3 });
      // Nobody was notified about the three leads.
      expect(k.notifications_per_record).toMatchObject({ value: 0, count: 3 });
      expect(k.workflow_failure_rate).toMatchObject({ value: 0, count: 3 });
      expect(k.workflow_failure_rate.breakdown).toEqual([
        { workflow_id: flow.id, workflow_name: "Tag new leads", version: 1, runs: 3, failed: 0, failure_rate: 0 },
      ]);

      // The runs behind the breakdown, in the same period (the workflow health's link): until is exclusive.
      const runsIn = async (since: number, until: number) =>
        (
          await s.get(
            `/api/v1/runs?workflow_id=${flow.id}&version=1&since=${new Date(since).toISOString()}&until=${new Date(until).toISOString()}`,
          )
        ).data.length;
      expect(await runsIn(start - DAY, start + DAY)).toBe(3);
      expect(await runsIn(start - DAY, start)).toBe(0);
      expect(await runsIn(start, start + 1)).toBe(3);
      for (const [query, message] of [
        [`since=${new Date(start).toISOString()}&until=${new Date(start).toISOString()}`, "is not after since"],
        ["until=yesterday", "expected an ISO 8601 date or instant"],
      ] as const) {
        const res = await s.api(`/api/v1/runs?${query}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as Json).errors[0]).toMatchObject({ path: "until", message: expect.stringContaining(message) });
      }

      // Cut by the workflow: every lead was handled by it; none was not.
      const handled = await kpisOf(`&workflow=${flow.id}&version=1`);
      expect(handled.lead_response_time).toMatchObject({ value: 5, count: 3 });
      const notHandled = await kpisOf(`&workflow=${flow.id}&handled=false`);
      expect(notHandled.lead_response_time).toMatchObject({ value: null, count: 0 });

      // The CSV of the chart, and a rebuild from scratch giving the same figures.
      const csv = await s.api(`/api/v1/kpis/lead_response_time?from=${day(start)}&to=${day(start)}&format=csv`);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect(await csv.text()).toBe(`kpi,day,value,count\nlead_response_time,${day(start)},5,3\n`);
      const before = await kpisOf();
      expect(await s.services.kpiRollup.rebuild()).toBeGreaterThan(10);
      expect(await kpisOf()).toEqual(before);
    });

    it("SLA attainment: of four ticket targets ending on one day, two met and two missed; by assignee, one of two", async () => {
      const s = env.s;
      // Two days after the first test's history, a day of its own.
      const d2 = start + 2 * DAY;
      at = d2;
      await s.post("/api/v1/sla/policies", {
        name: "Ticket resolution",
        object: "ticket",
        starts: { on: "created" },
        stops: { on: "field_value", field: "status", in: ["resolved"] },
        target: { hours: 1 },
      });
      const ada = await s.post("/api/v1/users", { name: "Ada Sla", email: "ada@kpi-sla.test", role: "rep" });
      const tickets: Json[] = [];
      for (const [subject, assignee] of [
        ["One", ada.id],
        ["Two", ada.id],
        ["Three", null],
        ["Four", null],
      ])
        tickets.push(await s.post("/api/v1/tickets", { subject, ...(assignee ? { assignee_id: assignee } : {}) }));
      // Three is never resolved: it breaches.
      const [one, two, , four] = tickets as [Json, Json, Json, Json];
      const resolve = async (minutes: number, t: Json) => {
        at = d2 + minutes * MIN;
        await s.json(`/api/v1/tickets/${t.id}`, { method: "PATCH", json: { status: "resolved" } });
        // The matcher stops the clock from the change's event: wait for it before the clock moves
        // on, or a breach due by then could fire first.
        for (;;) {
          await s.services.worker.drain();
          const clocks = (await s.get(`/api/v1/tickets/${t.id}/sla`)).data as Json[];
          if (clocks.length > 0 && clocks.every((c) => c.phase === "stopped")) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await s.services.worker.drain();
      await resolve(30, one); // met
      await resolve(50, four); // met
      // Past the target: Three's breach fires; Two is resolved after it (missed, counted once).
      at = d2 + 70 * MIN;
      // Both breaches fire before Two is resolved (a loaded machine's worker may take more than one drain).
      for (const t of [two, tickets[2] as Json]) {
        for (;;) {
          await s.services.worker.drain();
          const clocks = (await s.get(`/api/v1/tickets/${t.id}/sla`)).data as Json[];
          if (clocks.length > 0 && clocks.every((c) => c.fired.includes("breach"))) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await resolve(80, two);
      await s.services.worker.drain();
      await s.services.kpiRollup.catchUp();
      const q = `from=${day(d2)}&to=${day(d2)}&object=ticket`;
      const all = await s.json(`/api/v1/kpis/sla_attainment?${q}`);
      expect(all.data).toMatchObject({ key: "sla_attainment", unit: "percent", better: "higher", drill: true, value: 50, count: 4 });
      expect(all.data.series).toEqual([{ day: day(d2), value: 50, count: 4 }]);
      // Ada's tickets: One met, Two missed.
      expect((await s.json(`/api/v1/kpis/sla_attainment?${q}&owner_id=${ada.id}`)).data).toMatchObject({ value: 50, count: 2 });
      // Leads have no SLA policy; the day before has no ending.
      expect((await s.json(`/api/v1/kpis/sla_attainment?from=${day(d2)}&to=${day(d2)}`)).data).toMatchObject({ value: null, count: 0 });
      expect((await s.json(`/api/v1/kpis/sla_attainment?from=${day(d2 - DAY)}&to=${day(d2 - DAY)}&object=ticket`)).data).toMatchObject({
        value: null,
        count: 0,
      });
      const csv = await s.api(`/api/v1/kpis/sla_attainment?${q}&format=csv`);
      expect(await csv.text()).toBe(`kpi,day,value,count\nsla_attainment,${day(d2)},50,4\n`);
      // The records behind it: Two and Three missed their one target, One and Four met it (kpis-drills-api.test.ts in detail).
      const ended = await s.json(`/api/v1/kpis/sla_attainment/records?${q}`);
      expect(ended.data.map((r: Json) => r.value)).toEqual([0, 0, 100, 100]);

      // Escalation completion on the same day: Two's and Three's breaches fired (the policy has no escalation
      // levels, so the breach is the last: a day to resolve). Two was resolved 20 minutes later; Three is
      // still open — pending until its day has passed, then not resolved.
      const [three] = tickets.slice(2) as [Json];
      expect((await s.json(`/api/v1/kpis/escalation_completion?${q}`)).data).toMatchObject({
        key: "escalation_completion",
        unit: "percent",
        better: "higher",
        drill: true,
        value: 100,
        count: 1,
      });
      at = d2 + 26 * 60 * MIN;
      const esc = (await s.json(`/api/v1/kpis/escalation_completion?${q}`)).data;
      expect(esc).toMatchObject({ value: 50, count: 2 });
      expect(esc.series).toEqual([{ day: day(d2), value: 50, count: 2 }]);
      expect((await s.json(`/api/v1/kpis/escalation_completion?${q}&owner_id=${ada.id}`)).data).toMatchObject({ value: 100, count: 1 });
      const behind = await s.json(`/api/v1/kpis/escalation_completion/records?${q}`);
      expect(behind.data.map((r: Json) => [r.id, r.object, r.value])).toEqual([
        [three.id, "ticket", 0],
        [two.id, "ticket", 100],
      ]);
    });

    it("onboarding handoff completion: two deals won, one company's ticket ready within the hour, the other's in 4 days", async () => {
      const s = env.s;
      // A day long before the other tests' histories.
      const d0 = start - 80 * DAY;
      at = d0;
      const cy = await s.post("/api/v1/users", { name: "Cy Onboard", email: "cy@kpi-onboarding.test", role: "rep" });
      const acme = await s.post("/api/v1/companies", { name: "Acme Onboarding" });
      const beta = await s.post("/api/v1/companies", { name: "Beta Onboarding" });
      const contact = await s.post("/api/v1/contacts", { first_name: "Ona", last_name: "Board" });
      const a = await s.post("/api/v1/deals", { name: "Acme deal", company_id: acme.id, owner_id: cy.id });
      const b = await s.post("/api/v1/deals", { name: "Beta deal", company_id: beta.id });
      for (const d of [a, b]) await s.json(`/api/v1/deals/${d.id}`, { method: "PATCH", json: { stage: "closed_won" } });
      at = d0 + 60 * MIN;
      await s.post("/api/v1/tickets", {
        subject: "Onboarding Acme",
        category: "onboarding",
        company_id: acme.id,
        contact_id: contact.id,
        assignee_id: cy.id,
      });
      const tb = await s.post("/api/v1/tickets", {
        subject: "Onboarding Beta",
        category: "onboarding",
        company_id: beta.id,
        contact_id: contact.id,
      });
      at = d0 + 4 * DAY + 60 * MIN;
      await s.json(`/api/v1/tickets/${tb.id}`, { method: "PATCH", json: { assignee_id: cy.id } });
      await s.services.kpiRollup.catchUp();
      const q = `from=${day(d0)}&to=${day(d0)}`;
      expect((await s.json(`/api/v1/kpis/onboarding_handoff_completion?${q}`)).data).toMatchObject({
        key: "onboarding_handoff_completion",
        unit: "percent",
        drill: true,
        value: 50,
        count: 2,
        series: [{ day: day(d0), value: 50, count: 2 }],
      });
      // Five days to hand off: both; Cy's deal alone: in time.
      expect((await s.json(`/api/v1/kpis/onboarding_handoff_completion?${q}&onboarding_days=5`)).data).toMatchObject({
        value: 100,
        count: 2,
      });
      expect((await s.json(`/api/v1/kpis/onboarding_handoff_completion?${q}&owner_id=${cy.id}`)).data).toMatchObject({
        value: 100,
        count: 1,
      });
      // The deals behind it, the slowest handoff first, in days from the win.
      const behind = await s.json(`/api/v1/kpis/onboarding_handoff_completion/records?${q}`);
      expect(behind.data.map((r: Json) => [r.id, r.object, r.value])).toEqual([
        [b.id, "deal", 4.04],
        [a.id, "deal", 0.04],
      ]);
      // The window is checked at the edge, by name.
      for (const bad of ["0", "91", "2.5", "three", "-1"]) {
        const res = await s.api(`/api/v1/kpis/onboarding_handoff_completion?${q}&onboarding_days=${bad}`);
        expect(res.status, bad).toBe(400);
        expect((await res.json()).errors.map((i: Json) => i.path)).toEqual(["onboarding_days"]);
      }
    });

    it("stage cycle time: three deals closing after 2, 5 and 30 days → median 5; by owner; the deals behind it, longest first", async () => {
      const s = env.s;
      // Created 40 days before the first test's history; closed 2, 5 and 30 days later.
      const d0 = start - 40 * DAY;
      at = d0;
      const bo = await s.post("/api/v1/users", { name: "Bo Deals", email: "bo@kpi-deals.test", role: "rep" });
      const a = await s.post("/api/v1/deals", { name: "Alpha", owner_id: bo.id });
      const b = await s.post("/api/v1/deals", { name: "Beta" });
      const c = await s.post("/api/v1/deals", { name: "Gamma", owner_id: bo.id });
      // Imported already won: no cycle here.
      await s.post("/api/v1/deals", { name: "Imported", stage: "closed_won" });
      const move = async (days: number, deal: Json, stage: string) => {
        at = d0 + days * DAY;
        await s.json(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { stage } });
      };
      await move(1, a, "proposal");
      await move(2, a, "closed_won");
      await move(5, b, "closed_lost");
      // Reopened and won later: its first closing stands.
      await move(6, b, "negotiation");
      await move(9, b, "closed_won");
      await move(30, c, "closed_won");
      await s.services.kpiRollup.catchUp();
      const q = `from=${day(d0)}&to=${day(d0 + 30 * DAY)}`;
      const k = (await s.json(`/api/v1/kpis/stage_cycle_time?${q}`)).data;
      expect(k).toMatchObject({ key: "stage_cycle_time", unit: "days", better: "lower", drill: true, value: 5, count: 3 });
      expect(k.series).toEqual([
        { day: day(d0 + 2 * DAY), value: 2, count: 1 },
        { day: day(d0 + 5 * DAY), value: 5, count: 1 },
        { day: day(d0 + 30 * DAY), value: 30, count: 1 },
      ]);
      // Bo's deals: 2 and 30 days, median 16. The object parameter does not move it off deals.
      expect((await s.json(`/api/v1/kpis/stage_cycle_time?${q}&owner_id=${bo.id}&object=ticket`)).data).toMatchObject({
        value: 16,
        count: 2,
      });
      // A period of the closings' first week only: Alpha and Beta.
      expect((await s.json(`/api/v1/kpis/stage_cycle_time?from=${day(d0)}&to=${day(d0 + 6 * DAY)}`)).data).toMatchObject({
        value: 3.5,
        count: 2,
      });
      const drill = await s.json(`/api/v1/kpis/stage_cycle_time/records?${q}`);
      expect(drill.data.map((r: Json) => [r.id, r.object, r.value])).toEqual([
        [c.id, "deal", 30],
        [b.id, "deal", 5],
        [a.id, "deal", 2],
      ]);
    });

    it("notifications per record: contacts told about twice each by a workflow, one before it existed → 4 over 3", async () => {
      const s = env.s;
      const d3 = start + 3 * DAY;
      at = d3;
      const cleo = await s.post("/api/v1/users", { name: "Cleo Notified", email: "cleo@kpi-notify.test", role: "rep" });
      // Before the workflow: no notification.
      await s.post("/api/v1/contacts", { last_name: "Early" });
      const flow = await s.publish({
        key: "tell-about-contacts",
        name: "Tell about contacts",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        trigger: { type: "record_created" },
        start: "first",
        steps: {
          first: { type: "action", action: { type: "notify", to: { user_id: cleo.id }, message: "A new contact" }, next: "again" },
          again: { type: "action", action: { type: "notify", to: { user_id: cleo.id }, message: "Still new" } },
        },
      });
      await s.post("/api/v1/contacts", { last_name: "Owned", owner_id: cleo.id });
      await s.post("/api/v1/contacts", { last_name: "Unowned" });
      for (;;) {
        const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
        if (runs.length === 2 && runs.every((r) => r.status === "completed")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await s.services.kpiRollup.catchUp();
      const q = `from=${day(d3)}&to=${day(d3)}&object=contact`;
      const k = async (cut = "") => (await s.json(`/api/v1/kpis/notifications_per_record?${q}${cut}`)).data;
      const all = await k();
      expect(all).toMatchObject({ key: "notifications_per_record", unit: "notifications", better: "lower", value: 1.33, count: 3 });
      expect(all.series).toEqual([{ day: day(d3), value: 1.33, count: 3 }]);
      expect(await k(`&owner_id=${cleo.id}`)).toMatchObject({ value: 2, count: 1 });
      expect(await k(`&workflow=${flow.id}`)).toMatchObject({ value: 2, count: 2 });
      expect(await k(`&workflow=${flow.id}&handled=false`)).toMatchObject({ value: 0, count: 1 });
      // Adoption: the workflow ran on two of the three contacts; on Cleo's one; "handled" does not narrow it.
      const adopted = async (cut = "") => (await s.json(`/api/v1/kpis/adoption?${q}${cut}`)).data;
      expect(await adopted()).toMatchObject({ key: "adoption", unit: "percent", better: "higher", value: 66.67, count: 3 });
      expect((await adopted()).series).toEqual([{ day: day(d3), value: 66.67, count: 3 }]);
      expect(await adopted(`&owner_id=${cleo.id}`)).toMatchObject({ value: 100, count: 1 });
      expect(await adopted(`&workflow=${flow.id}&handled=false`)).toMatchObject({ value: 66.67, count: 3 });
      // Leads of that day: none created.
      expect((await s.json(`/api/v1/kpis/notifications_per_record?from=${day(d3)}&to=${day(d3)}`)).data).toMatchObject({
        value: null,
        count: 0,
      });
    });

    it("workflow overrides: a person changing a field a workflow set within 7 days, per workflow and version", async () => {
      const s = env.s;
      const d = start - 20 * DAY;
      at = d;
      const definition = (industry: string) => ({
        key: "set-industry",
        name: "Set industry",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "company",
        trigger: { type: "record_created" },
        start: "set",
        steps: { set: { type: "action", action: { type: "update_fields", fields: { industry } } } },
      });
      const flow = await s.publish(definition("software"));
      const settled = async (n: number) => {
        for (;;) {
          const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
          if (runs.length === n && runs.every((r) => r.status === "completed")) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const x = await s.post("/api/v1/companies", { name: "X" });
      const y = await s.post("/api/v1/companies", { name: "Y" });
      await settled(2);
      expect(await s.publish(definition("saas"))).toMatchObject({ live_version: 2 });
      const w = await s.post("/api/v1/companies", { name: "W" });
      await settled(3);
      const change = async (days: number, company: Json, industry: string) => {
        at = d + days * DAY;
        await s.json(`/api/v1/companies/${company.id}`, { method: "PATCH", json: { industry } });
      };
      await change(1, x, "retail"); // v1's value overridden after a day
      await change(2, y, "software"); // the value v1 set: no change, no write
      await change(3, w, "retail"); // v2's value overridden
      await change(4, x, "media"); // X's industry is a person's now: not an override
      await change(9, y, "media"); // eight days after v1 set it: outside the window
      const q = `from=${day(d)}&to=${day(d + 9 * DAY)}`;
      const k = (await s.json(`/api/v1/kpis/workflow_overrides?${q}`)).data;
      expect(k).toMatchObject({
        key: "workflow_overrides",
        unit: "overrides",
        better: "lower",
        drill: false,
        value: 2,
        count: 2,
        truncated: false,
      });
      expect(k.overrides_by_workflow).toEqual([
        { workflow_id: flow.id, workflow_name: "Set industry", version: 1, overrides: 1 },
        { workflow_id: flow.id, workflow_name: "Set industry", version: 2, overrides: 1 },
      ]);
      expect(k.series).toEqual([
        { day: day(d + DAY), value: 1, count: 1 },
        { day: day(d + 3 * DAY), value: 1, count: 1 },
      ]);
      // Adoption of companies: all three reached by some version; one by version 2.
      await s.services.kpiRollup.catchUp();
      expect((await s.json(`/api/v1/kpis/adoption?${q}&object=company`)).data).toMatchObject({ value: 100, count: 3 });
      expect((await s.json(`/api/v1/kpis/adoption?${q}&object=company&workflow=${flow.id}&version=2`)).data).toMatchObject({
        value: 33.33,
        count: 3,
      });
      // Cut by version; a period that ends before the second override.
      expect((await s.json(`/api/v1/kpis/workflow_overrides?${q}&workflow=${flow.id}&version=2`)).data).toMatchObject({ value: 1 });
      expect((await s.json(`/api/v1/kpis/workflow_overrides?from=${day(d)}&to=${day(d + 2 * DAY)}`)).data).toMatchObject({ value: 1 });
      const csv = await s.api(`/api/v1/kpis/workflow_overrides?${q}&format=csv`);
      expect(await csv.text()).toBe(
        `workflow_id,workflow_name,version,overrides\n${flow.id},Set industry,1,1\n${flow.id},Set industry,2,1\n`,
      );
    });

    it("refuses bad parameters by name, an unknown KPI, a drill into counts, and no rebuild route; another workspace sees none of it", async () => {
      const s = env.s;
      const problem = async (path: string, status: number, init: Json = {}) => {
        const res = await s.api(path, init);
        expect(res.status, path).toBe(status);
        return (await res.json()) as Json;
      };
      const p1 = await problem("/api/v1/kpis?from=2026-13-01&object=nope&version=2&handled=maybe&limit=0&colour=red", 400);
      expect(p1.errors.map((i: Json) => i.path)).toEqual(["colour", "from", "object", "version", "handled", "limit"]);
      expect(JSON.stringify(p1.errors)).toContain("one of user, team, company, contact, lead");
      const p2 = await problem("/api/v1/kpis?from=2024-01-01&to=2026-01-01", 400);
      expect(p2.errors[0]).toMatchObject({ path: "from", message: "a period is at most 400 days" });
      await problem("/api/v1/kpis/happiness", 404);
      await problem("/api/v1/kpis?workflow=wf_nope", 404);
      const p3 = await problem("/api/v1/kpis/automation_share/records", 400);
      expect(p3.errors[0].message).toContain("lead_response_time");
      const rep = await s.newWorkspace("kpi-rep", "rep");
      // No route rebuilds: a rebuild empties every workspace's figures (the operator's CLI command).
      const rebuild = await s.api("/api/v1/kpis/rebuild", { method: "POST", json: {} });
      expect(rebuild.status).toBe(404);
      const other = await s.json(`/api/v1/kpis?from=${day(start - DAY)}&to=${day(start + DAY)}`, { as: rep.token });
      expect(other.data.find((k: Json) => k.key === "lead_response_time")).toMatchObject({ value: null, count: 0 });
    });
  });
}
