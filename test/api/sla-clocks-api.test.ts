/**
 * SLA clocks over HTTP on both stores (docs/sla.md, "Reading clocks" and "Milestones as
 * events"): a record's clocks with their history (`GET /api/v1/tickets/{id}/sla`), the at-risk
 * list (`GET /api/v1/sla/clocks?status=&policy=&team=`) by page, what a rep sees and what
 * another workspace does not; publishing a workflow on the `sla` trigger checks its policy, and
 * a policy a live workflow's trigger names cannot be deleted or renamed (409).
 */
import { describe, expect, it } from "vitest";
import { ulidGenerator } from "../../src/app/ports.js";
import { SlaCalendars } from "../../src/app/sla/clock-calendars.js";
import { SlaFiring } from "../../src/runtime/sla/fire.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const HOUR = 3_600_000;

const policy = (name: string, object = "ticket") => ({
  name,
  object,
  starts: { on: "created" },
  stops: { on: "field_value", field: "status", in: object === "ticket" ? ["resolved", "closed"] : ["converted"] },
  target: { hours: 4 },
  ...(object === "ticket" ? { targets_by: { field: "priority", values: { P1: { hours: 1 } } } } : {}),
  warning: { fraction: 0.75 },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA clocks over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("refuses at publish a trigger naming no policy, or one on another object; a named policy cannot be deleted or renamed", async () => {
      await env.s.post("/api/v1/sla/policies", policy("Lead response", "lead"));
      await env.s.post("/api/v1/sla/policies", policy("Ticket response"));
      const workflow = (p: string) => ({
        key: "on-breach",
        name: "On breach",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "ticket",
        trigger: { type: "sla", policy: p, milestones: ["breach"] },
        start: "t",
        steps: { t: { type: "action", action: { type: "create_task", subject: "Breached" } } },
      });
      for (const [name, message] of [
        ["Tciket response", 'no SLA policy "Tciket response" in this workspace'],
        ["Lead response", 'SLA policy "Lead response" measures lead records; this workflow runs on ticket'],
      ] as const) {
        const saved = await env.s.post("/api/v1/workflows", { definition: workflow(name) });
        const res = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
        expect(res.status).toBe(422);
        expect(((await res.json()) as Json).errors).toContainEqual(expect.objectContaining({ path: "trigger.policy", message }));
      }
      const live = await env.s.publish({ ...workflow("Ticket response"), key: "ticket-breach" });
      expect(live.live_version).toBe(1);
      const del = await env.s.api("/api/v1/sla/policies/Ticket%20response", { method: "DELETE" });
      expect(del.status).toBe(409);
      expect(((await del.json()) as Json).detail).toBe(
        "SLA policy Ticket response cannot be deleted: it is named by workflow ticket-breach (trigger)",
      );
      const rename = await env.s.api("/api/v1/sla/policies/Ticket%20response", { method: "PATCH", json: { name: "Renamed" } });
      expect(rename.status).toBe(409);
      // Other changes are fine; and once the workflow is archived, the policy goes.
      const disabled = await env.s.api("/api/v1/sla/policies/Ticket%20response", { method: "PATCH", json: { enabled: false } });
      expect(disabled.status).toBe(200);
      await env.s.post(`/api/v1/workflows/${live.id}/archive`, {});
      expect((await env.s.api("/api/v1/sla/policies/Ticket%20response", { method: "DELETE" })).status).toBe(204);
      expect((await env.s.api("/api/v1/sla/policies/Lead%20response", { method: "DELETE" })).status).toBe(204);
    });

    it("serves a record's clocks and the at-risk list, by page, to every role of the workspace and to no other", async () => {
      const s = env.s;
      await s.post("/api/v1/sla/policies", policy("First response"));
      const emea = await s.post("/api/v1/teams", { name: "EMEA" });
      const ada = await s.post("/api/v1/users", { name: "Ada", email: "ada@clocks.test", role: "rep", team_id: emea.id });
      const quiet = await s.post("/api/v1/tickets", { subject: "Quiet", assignee_id: ada.id });
      const warm = await s.post("/api/v1/tickets", { subject: "Warm" });
      const hot = await s.post("/api/v1/tickets", { subject: "Hot", priority: "P1", assignee_id: ada.id });
      await s.services.worker.drain();

      const first = (await s.get(`/api/v1/tickets/${quiet.id}/sla`)).data as Json[];
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({
        policy: { name: "First response" },
        status: "running",
        phase: "running",
        target_ms: 4 * HOUR,
        fired: [],
        calendar: { name: null, time_zone: "UTC" },
        next_milestone: { key: "warning", level: 0 },
        history: [{ seq: 1, kind: "started" }],
      });
      expect(first[0]?.left_ms).toBeGreaterThan(4 * HOUR - 60_000);

      // Time passes for the clocks: 3.5 h on, Warm and Quiet warned; Hot (1 h) warned and breached.
      const ahead = () => new Date(Date.now() + 3.5 * HOUR);
      const firing = new SlaFiring({
        store: s.services.store,
        calendars: new SlaCalendars(),
        clock: { now: ahead },
        ids: ulidGenerator(),
        dueBy: ahead,
      });
      while ((await firing.fireDue("test", 100, 15_000)) > 0);
      await s.services.worker.drain();

      const ids = (page: Json) => (page.data as Json[]).map((c) => c.record.id);
      expect(ids(await s.get("/api/v1/sla/clocks?status=warning"))).toEqual([quiet.id, warm.id]);
      const breached = await s.get("/api/v1/sla/clocks?status=breached");
      expect(breached.data).toEqual([
        expect.objectContaining({
          record: { id: hot.id, object: "ticket", title: "Hot" },
          owner: { id: ada.id, name: "Ada" },
          team: { id: emea.id, name: "EMEA" },
          status: "breached",
          fired: ["warning", "breach"],
        }),
      ]);
      expect(ids(await s.get("/api/v1/sla/clocks?team=EMEA"))).toEqual([quiet.id, hot.id]);
      expect(ids(await s.get("/api/v1/sla/clocks?status=warning&team=EMEA"))).toEqual([quiet.id]);
      expect(ids(await s.get("/api/v1/sla/clocks?policy=First%20response&status=breached"))).toEqual([hot.id]);
      const page1 = await s.get("/api/v1/sla/clocks?limit=2");
      expect(ids(page1)).toEqual([quiet.id, warm.id]);
      const page2 = await s.get(`/api/v1/sla/clocks?limit=2&cursor=${page1.next_cursor}`);
      expect(ids(page2)).toEqual([hot.id]);
      expect(page2.next_cursor).toBeNull();
      const teamPage = await s.get("/api/v1/sla/clocks?limit=1&team=EMEA");
      expect(ids(teamPage)).toEqual([quiet.id]);
      expect(ids(await s.get(`/api/v1/sla/clocks?limit=1&team=EMEA&cursor=${teamPage.next_cursor}`))).toEqual([hot.id]);

      const events = ((await s.get("/api/v1/events?limit=1000")).data as Json[]).filter((e) => e.type.startsWith("sla."));
      expect(events.map((e) => e.type).sort()).toEqual(["sla.breached", "sla.warning", "sla.warning", "sla.warning"]);
      expect(events.find((e) => e.type === "sla.breached")).toMatchObject({
        record_id: hot.id,
        source: "First response",
        actor: { kind: "system", id: "sla" },
        detail: { policy_name: "First response", milestone: "breach", level: 1, due_at: expect.any(String) },
      });
      const hotClocks = (await s.get(`/api/v1/tickets/${hot.id}/sla`)).data as Json[];
      expect(hotClocks[0]?.history.map((h: Json) => h.kind)).toEqual(["started", "warned", "breached"]);
      expect(hotClocks[0]?.left_ms).toBeLessThanOrEqual(HOUR);

      // Resolved: the clock stops and leaves the list.
      await s.json(`/api/v1/tickets/${warm.id}`, { method: "PATCH", json: { status: "resolved" } });
      await s.services.worker.drain();
      expect(ids(await s.get("/api/v1/sla/clocks?status=warning"))).toEqual([quiet.id]);
      expect(((await s.get(`/api/v1/tickets/${warm.id}/sla`)).data as Json[])[0]).toMatchObject({
        status: "met",
        phase: "stopped",
        due_at: null,
      });

      // A rep of the workspace reads them; another workspace sees none of them.
      const { secret: rep } = await s.services.tokens.create(s.workspace.id, "rep", "rep");
      expect((await s.json(`/api/v1/tickets/${hot.id}/sla`, { as: rep })).data).toHaveLength(1);
      expect(((await s.json("/api/v1/sla/clocks?status=breached", { as: rep })).data as Json[]).length).toBe(1);
      const other = await s.newWorkspace("other-clocks");
      expect((await s.api(`/api/v1/tickets/${hot.id}/sla`, { as: other.token })).status).toBe(404);
      expect((await s.json("/api/v1/sla/clocks", { as: other.token })).data).toEqual([]);
      expect((await s.api("/api/v1/sla/clocks?policy=First%20response", { as: other.token })).status).toBe(404);
      expect((await s.api("/api/v1/sla/clocks?status=late")).status).toBe(400);
      expect((await s.api("/api/v1/sla/clocks?limit=0")).status).toBe(400);
      expect((await s.api(`/api/v1/widgets/${hot.id}/sla`)).status).toBe(404);
    });
  });
}
