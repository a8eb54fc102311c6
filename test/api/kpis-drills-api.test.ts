/**
 * The records behind adoption, notifications per record and SLA attainment over HTTP, on both
 * stores (issue 22; docs/kpis.md "API"), on a history built by hand with a simulated clock, each
 * list worked out here and checked against its figure:
 *
 * Leads, one day: Dee arrives before any workflow; "Tag leads" (no notification) is published, Ada
 * arrives; "Tell twice" (two notifications) is published, Brook arrives; "Tell once" (one) is
 * published, Cyd arrives. Runs: Dee 0, Ada 1, Brook 2, Cyd 3 → adoption 3 of 4; notifications: Dee 0,
 * Ada 0, Brook 2, Cyd 3 → 5 over 4 = 1.25. Owen owns Dee and Brook.
 *
 * Tickets, another day, under two SLA policies (resolution in 1 hour and in 2 hours): One resolved
 * after 30 minutes (both met), Two after 80 (1 h missed, 2 h met), Three never (both missed), Four
 * after 50 (both met) → 5 of 8 targets met = 62.5 %; per ticket 100, 50, 0, 100. Ada owns One and
 * Two; "Tell about tickets" is published after Two, so it ran on Three and Four.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`The records behind adoption, notifications and SLA attainment on ${kind.name}`, () => {
    // Ten days ago at 10:00 UTC, then moved by the test.
    const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
    let at = start;
    const clock = { now: () => new Date(at) };
    const env = useTestServer(kind, () => [{}, { worker: true, clock, slaDueByServiceClock: true }]);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const settled = async (flowId: string, n: number) => {
      for (;;) {
        const runs = (await env.s.get(`/api/v1/runs?workflow_id=${flowId}`)).data as Json[];
        if (runs.length === n && runs.every((r) => r.status === "completed")) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const flowOf = (key: string, object: string, steps: Json) =>
      env.s.publish({
        key,
        name: key,
        description: "Why it exists: a test fixture (publishing needs a description).",
        object,
        trigger: { type: "record_created" },
        start: Object.keys(steps)[0],
        steps,
      });
    const pairs = (body: Json) => body.data.map((r: Json) => [r.id, r.value]);
    const leads = {} as Record<"Dee" | "Ada" | "Brook" | "Cyd", Json>;
    const flows = {} as Record<"tag" | "twice" | "once", Json>;
    let owen: Json;

    it("adoption: the leads no workflow reached first, each with its runs; the split is the figure's", async () => {
      const s = env.s;
      owen = await s.post("/api/v1/users", { name: "Owen Drill", email: "owen@kpi-drill.test", role: "rep" });
      const notify = (message: string) => ({ type: "action", action: { type: "notify", to: { user_id: owen.id }, message } });
      const lead = async (name: keyof typeof leads, owner?: string) => {
        at += MIN;
        leads[name] = await s.post("/api/v1/leads", { last_name: name, status: "new", ...(owner ? { owner_id: owner } : {}) });
      };
      await lead("Dee", owen.id);
      flows.tag = await flowOf("tag-leads", "lead", {
        tag: { type: "action", action: { type: "update_fields", fields: { country: "US" } } },
      });
      await lead("Ada");
      await settled(flows.tag.id, 1);
      flows.twice = await flowOf("tell-twice", "lead", { first: { ...notify("New lead"), next: "again" }, again: notify("Still new") });
      await lead("Brook", owen.id);
      await settled(flows.twice.id, 1);
      flows.once = await flowOf("tell-once", "lead", { one: notify("Another new lead") });
      await lead("Cyd");
      await settled(flows.once.id, 1);
      await settled(flows.tag.id, 3);
      await settled(flows.twice.id, 2);
      await s.services.kpiRollup.catchUp();
      const { Dee, Ada, Brook, Cyd } = leads;

      const q = `from=${day(start)}&to=${day(start)}`;
      const figure = async (cut = "") => (await s.json(`/api/v1/kpis/adoption?${q}${cut}`)).data;
      const list = (cut = "") => s.json(`/api/v1/kpis/adoption/records?${q}${cut}`);
      expect(await figure()).toMatchObject({ drill: true, value: 75, count: 4 });
      const all = await list();
      expect(pairs(all)).toEqual([
        [Dee.id, 0],
        [Ada.id, 1],
        [Brook.id, 2],
        [Cyd.id, 3],
      ]);
      expect(all.data[0]).toMatchObject({ object: "lead", owner_id: owen.id });
      expect(all.truncated).toBe(false);
      // The list splits as the figure: reached (a run on it) ÷ listed = 3 ÷ 4 = 75 %.
      const reached = all.data.filter((r: Json) => r.value > 0).length;
      expect((100 * reached) / all.data.length).toBe(75);

      // One workflow counts as reaching: "Tell twice" ran on Brook and Cyd only → 50 %.
      expect(await figure(`&workflow=${flows.twice.id}`)).toMatchObject({ value: 50, count: 4 });
      expect(pairs(await list(`&workflow=${flows.twice.id}`))).toEqual([
        [Dee.id, 0],
        [Ada.id, 0],
        [Brook.id, 1],
        [Cyd.id, 1],
      ]);
      expect(pairs(await list(`&workflow=${flows.twice.id}&version=1&handled=true`))).toHaveLength(4);
      // Owen's leads: Dee (missed) and Brook.
      expect(await figure(`&owner_id=${owen.id}`)).toMatchObject({ value: 50, count: 2 });
      expect(pairs(await list(`&owner_id=${owen.id}`))).toEqual([
        [Dee.id, 0],
        [Brook.id, 2],
      ]);
      // At most `limit`, the unreached first, and says there are more.
      const one = await list("&limit=1");
      expect(pairs(one)).toEqual([[Dee.id, 0]]);
      expect(one.truncated).toBe(true);
      // handled=false would be a list the figure is not over: refused by name.
      const refused = await s.api(`/api/v1/kpis/adoption/records?${q}&workflow=${flows.twice.id}&handled=false`);
      expect(refused.status).toBe(400);
      expect((await refused.json()).errors).toMatchObject([{ path: "handled" }]);
      // Another day: nobody.
      expect((await s.json(`/api/v1/kpis/adoption/records?from=${day(start - DAY)}&to=${day(start - DAY)}`)).data).toEqual([]);
    });

    it("notifications per record: the most notified first, summing to the figure's numerator, cut as the figure", async () => {
      const s = env.s;
      const { Dee, Ada, Brook, Cyd } = leads;
      const q = `from=${day(start)}&to=${day(start)}`;
      const figure = async (cut = "") => (await s.json(`/api/v1/kpis/notifications_per_record?${q}${cut}`)).data;
      const list = (cut = "") => s.json(`/api/v1/kpis/notifications_per_record/records?${q}${cut}`);
      expect(await figure()).toMatchObject({ drill: true, value: 1.25, count: 4 });
      const all = await list();
      expect(pairs(all)).toEqual([
        [Cyd.id, 3],
        [Brook.id, 2],
        [Dee.id, 0],
        [Ada.id, 0],
      ]);
      // Σ notifications ÷ records listed = 5 ÷ 4 = the figure.
      expect(all.data.reduce((a: number, r: Json) => a + r.value, 0) / all.data.length).toBe(1.25);
      // Handled by "Tell once" (Cyd) or not; Owen's (Dee, Brook).
      expect(pairs(await list(`&workflow=${flows.once.id}`))).toEqual([[Cyd.id, 3]]);
      expect(await figure(`&workflow=${flows.once.id}&handled=false`)).toMatchObject({ value: 0.67, count: 3 });
      expect(pairs(await list(`&workflow=${flows.once.id}&handled=false`))).toEqual([
        [Brook.id, 2],
        [Dee.id, 0],
        [Ada.id, 0],
      ]);
      expect(pairs(await list(`&owner_id=${owen.id}`))).toEqual([
        [Brook.id, 2],
        [Dee.id, 0],
      ]);
      const two = await list("&limit=2");
      expect(pairs(two)).toEqual([
        [Cyd.id, 3],
        [Brook.id, 2],
      ]);
      expect(two.truncated).toBe(true);
    });

    it("SLA attainment: the records of missed targets first, each with the share of its own targets met", async () => {
      const s = env.s;
      const d2 = start + 2 * DAY;
      at = d2;
      for (const [name, hours] of [
        ["Resolve in an hour", 1],
        ["Resolve in two hours", 2],
      ] as const)
        await s.post("/api/v1/sla/policies", {
          name,
          object: "ticket",
          starts: { on: "created" },
          stops: { on: "field_value", field: "status", in: ["resolved"] },
          target: { hours },
        });
      const ada = await s.post("/api/v1/users", { name: "Ada Drill", email: "ada@kpi-drill.test", role: "rep" });
      const one = await s.post("/api/v1/tickets", { subject: "One", assignee_id: ada.id });
      const two = await s.post("/api/v1/tickets", { subject: "Two", assignee_id: ada.id });
      const flow = await flowOf("tell-about-tickets", "ticket", {
        tell: { type: "action", action: { type: "notify", to: { user_id: ada.id }, message: "A ticket" } },
      });
      const three = await s.post("/api/v1/tickets", { subject: "Three" });
      const four = await s.post("/api/v1/tickets", { subject: "Four" });
      await settled(flow.id, 2);
      const resolve = async (minutes: number, t: Json) => {
        at = d2 + minutes * MIN;
        await s.json(`/api/v1/tickets/${t.id}`, { method: "PATCH", json: { status: "resolved" } });
        // Wait for the matcher to stop both clocks before time moves on, or a breach due by then could fire first.
        for (;;) {
          await s.services.worker.drain();
          const clocks = (await s.get(`/api/v1/tickets/${t.id}/sla`)).data as Json[];
          if (clocks.length === 2 && clocks.every((c) => c.phase === "stopped")) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await s.services.worker.drain();
      await resolve(30, one);
      await resolve(50, four);
      at = d2 + 70 * MIN; // the 1-hour breaches of Two and Three fire
      await s.services.worker.drain();
      await resolve(80, two);
      at = d2 + 130 * MIN; // Three's 2-hour breach fires
      await s.services.worker.drain();
      await s.services.kpiRollup.catchUp();

      const q = `from=${day(d2)}&to=${day(d2)}&object=ticket`;
      const figure = async (cut = "") => (await s.json(`/api/v1/kpis/sla_attainment?${q}${cut}`)).data;
      const list = (cut = "") => s.json(`/api/v1/kpis/sla_attainment/records?${q}${cut}`);
      expect(await figure()).toMatchObject({ drill: true, value: 62.5, count: 8 });
      const all = await list();
      // Three (0 of 2 met), Two (1 of 2), then One and Four (2 of 2), the earlier end first.
      expect(pairs(all)).toEqual([
        [three.id, 0],
        [two.id, 50],
        [one.id, 100],
        [four.id, 100],
      ]);
      expect(all.data[0]).toMatchObject({ object: "ticket", owner_id: null });
      // Two targets each: Σ (share × 2) ÷ 8 = (0 + 1 + 2 + 2) ÷ 8 = the figure.
      expect((100 * all.data.reduce((a: number, r: Json) => a + (r.value / 100) * 2, 0)) / 8).toBe(62.5);
      // Ada's tickets: 3 of 4 met.
      expect(await figure(`&owner_id=${ada.id}`)).toMatchObject({ value: 75, count: 4 });
      expect(pairs(await list(`&owner_id=${ada.id}`))).toEqual([
        [two.id, 50],
        [one.id, 100],
      ]);
      // Handled by the ticket workflow (Three, Four) or not (One, Two).
      expect(await figure(`&workflow=${flow.id}`)).toMatchObject({ value: 50, count: 4 });
      expect(pairs(await list(`&workflow=${flow.id}`))).toEqual([
        [three.id, 0],
        [four.id, 100],
      ]);
      expect(pairs(await list(`&workflow=${flow.id}&handled=false`))).toEqual([
        [two.id, 50],
        [one.id, 100],
      ]);
      const first = await list("&limit=1");
      expect(pairs(first)).toEqual([[three.id, 0]]);
      expect(first.truncated).toBe(true);
      // Leads have no SLA policy.
      expect((await s.json(`/api/v1/kpis/sla_attainment/records?from=${day(d2)}&to=${day(d2)}`)).data).toEqual([]);
    });

    it("refuses an unknown KPI, a KPI with no records, and bad parameters by name", async () => {
      const s = env.s;
      const problem = async (path: string, status: number) => {
        const res = await s.api(path);
        expect(res.status, path).toBe(status);
        return (await res.json()) as Json;
      };
      expect((await problem("/api/v1/kpis/happiness/records", 404)).detail ?? "").toContain("happiness");
      const counts = await problem("/api/v1/kpis/workflow_overrides/records", 400);
      expect(counts.errors[0]).toMatchObject({ path: "key" });
      expect(counts.errors[0].message).toContain("adoption");
      const bad = await problem("/api/v1/kpis/notifications_per_record/records?limit=5000&handled=maybe&colour=red", 400);
      expect(bad.errors.map((i: Json) => i.path)).toEqual(["colour", "handled", "limit"]);
      expect((await problem("/api/v1/kpis/sla_attainment/records?object=nope", 400)).errors).toMatchObject([{ path: "object" }]);
      await problem("/api/v1/kpis/adoption/records?workflow=wf_nope", 404);
    });
  });
}
