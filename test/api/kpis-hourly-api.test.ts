/**
 * KPIs by hour over HTTP on both stores (issue 22, docs/kpis.md "By hour"): a hand-built day with
 * leads created at 09:10, 09:40 and 14:05, answered 2, 8 and 30 minutes later, and people's writes
 * at 15:00 — each hourly point worked out here, and the hours agree with the day. Bad grains and
 * periods too long to be read by hour get a 400 naming `granularity`.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`KPIs by hour over HTTP on ${kind.name}`, () => {
    // Three days ago at midnight UTC; the test moves the clock through that day.
    const midnight = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    let at = midnight;
    const clock = { now: () => new Date(at) };
    const env = useTestServer(kind, () => [{}, { worker: true, clock }]);
    const day = new Date(midnight).toISOString().slice(0, 10);
    const kpi = async (key: string, query = "") => {
      await env.s.services.kpiRollup.catchUp();
      return (await env.s.json(`/api/v1/kpis/${key}?from=${day}&to=${day}${query}`)).data as Json;
    };

    it("gives each KPI's points per hour, and the hours agree with the day", async () => {
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
      const settled = async (n: number) => {
        for (;;) {
          const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
          if (runs.length === n && runs.every((r) => r.status === "completed")) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const lead = async (minute: number, name: string) => {
        at = midnight + minute * MIN;
        const created = await s.post("/api/v1/leads", { last_name: name, status: "new" });
        // The workflow's write lands in the same hour: the clock waits for it.
        await settled(["Ada", "Brook", "Cyd"].indexOf(name) + 1);
        return created as Json;
      };
      const call = (minute: number, related: string) => {
        at = midnight + minute * MIN;
        return s.post("/api/v1/activities", { type: "call", related_id: related });
      };
      const a = await lead(9 * 60 + 10, "Ada");
      await call(9 * 60 + 12, a.id);
      const b = await lead(9 * 60 + 40, "Brook");
      await call(9 * 60 + 48, b.id);
      const c = await lead(14 * 60 + 5, "Cyd");
      await call(14 * 60 + 35, c.id);
      at = midnight + 15 * 60 * MIN;
      await s.json(`/api/v1/leads/${a.id}`, { method: "PATCH", json: { title: "CTO" } });
      await s.json(`/api/v1/leads/${a.id}`, { method: "PATCH", json: { status: "working" } });

      // Response time: 09:00 → the median of 2 and 8 minutes; 14:00 → 30. The day: 8 over 3.
      const response = await kpi("lead_response_time", "&granularity=hour");
      expect(response).toMatchObject({ value: 8, count: 3 });
      expect(response.series).toEqual([
        { day, hour: 9, value: 5, count: 2 },
        { day, hour: 14, value: 30, count: 1 },
      ]);
      // By day (the default) the points have no hour.
      expect((await kpi("lead_response_time")).series).toEqual([{ day, value: 8, count: 3 }]);

      // Manual touches: the two writes at 15:00 are Ada's, created at 09:00 — a cohort KPI is by creation.
      expect((await kpi("manual_touches_per_record", "&granularity=hour")).series).toEqual([
        { day, hour: 9, value: 1, count: 2 },
        { day, hour: 14, value: 0, count: 1 },
      ]);
      expect((await kpi("adoption", "&granularity=hour")).series).toEqual([
        { day, hour: 9, value: 100, count: 2 },
        { day, hour: 14, value: 100, count: 1 },
      ]);

      // Automation share is by the write's hour (kpi_hourly): at 15:00 only people wrote.
      const share = await kpi("automation_share", "&granularity=hour");
      const daily = await kpi("automation_share");
      expect(share.series.find((p: Json) => p.hour === 15)).toEqual({ day, hour: 15, value: 0, count: 2 });
      expect(share.series.find((p: Json) => p.hour === 9)).toMatchObject({ value: expect.any(Number) });
      expect(share.series.reduce((n: number, p: Json) => n + p.count, 0)).toBe(daily.count);
      expect(share.value).toBe(daily.value);

      // The CSV of an hourly chart has the hour after the day.
      const csv = await s.api(`/api/v1/kpis/lead_response_time?from=${day}&to=${day}&granularity=hour&format=csv`);
      expect(await csv.text()).toBe(`kpi,day,hour,value,count\nlead_response_time,${day},9,5,2\nlead_response_time,${day},14,30,1\n`);
      // The overview too, and it says its grain.
      const overview = await s.json(`/api/v1/kpis?from=${day}&to=${day}&granularity=hour`);
      expect(overview.filters.granularity).toBe("hour");

      // A rebuild from scratch gives the same hours.
      await s.services.kpiRollup.rebuild();
      expect((await kpi("automation_share", "&granularity=hour")).series).toEqual(share.series);
    });

    it("refuses a grain it does not know and an hourly series over more than 7 days, by name", async () => {
      const problem = async (query: string) => {
        const res = await env.s.api(`/api/v1/kpis?${query}`);
        expect(res.status).toBe(400);
        return ((await res.json()) as Json).errors as Json[];
      };
      expect(await problem("granularity=week")).toEqual([expect.objectContaining({ path: "granularity", message: "one of day, hour" })]);
      expect(await problem("from=2026-11-01&to=2026-11-08&granularity=hour")).toEqual([
        expect.objectContaining({ path: "granularity", message: expect.stringContaining("at most 7 days; this period has 8") }),
      ]);
      const ok = await env.s.api("/api/v1/kpis/automation_share?from=2026-11-01&to=2026-11-07&granularity=hour");
      expect(ok.status).toBe(200);
    });
  });
}
