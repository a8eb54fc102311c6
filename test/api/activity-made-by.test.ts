/**
 * Activities say who made them, and "last activity" counts what the admin chooses — on both
 * stores over real HTTP. By default a person's call and the contact's own reply move the lead's
 * last_activity_at; what Handoff writes by itself (a workflow's add_activity here; the emails it
 * sends are marked the same way in email-settled.ts) does not — so Handoff writing to a lead no
 * longer restarts its inactivity clock or meets a `last_activity_at is_set` goal. An admin can
 * widen or narrow the choice with PATCH /api/v1/workspace/settings.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const autoNote = {
  key: "auto-email-log",
  name: "Log an automated email",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  conditions: { field: "source", op: "eq", value: "web" },
  start: "log",
  steps: { log: { type: "action", action: { type: "add_activity", activity_type: "email", subject: "Thanks for your interest" } } },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`activity authorship and the last-activity policy on ${kind.name}`, () => {
    const env = useTestServer(kind, () => [{}, { worker: true }]);
    const lead = (name: string, extra: Json = {}) => env.s.post("/api/v1/leads", { last_name: name, ...extra });
    const activitiesOf = (id: string) =>
      env.s.post("/api/v1/activities/search", { filter: { field: "related_id", op: "eq", value: id } }).then((r) => r.data as Json[]);

    it("a person's call and the contact's reply move last_activity_at; made_by defaults to person", async () => {
      const l = await lead("Caller");
      const call = await env.s.post("/api/v1/activities", { type: "call", related_id: l.id, occurred_at: "2026-01-05T10:00:00.000Z" });
      expect(call.made_by).toBe("person");
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at).toBe("2026-01-05T10:00:00.000Z");
      await env.s.post("/api/v1/activities", {
        type: "email",
        made_by: "contact",
        related_id: l.id,
        occurred_at: "2026-01-06T10:00:00.000Z",
      });
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at).toBe("2026-01-06T10:00:00.000Z");
    });

    it("what Handoff writes by itself is made_by handoff and does not move last_activity_at", async () => {
      expect((await env.s.get("/api/v1/workspace/settings")).last_activity).toEqual({
        made_by: ["person", "contact"],
        types: ["call", "email", "meeting", "note"],
      });
      await env.s.publish(autoNote);
      const l = await lead("Automated", { source: "web" });
      const [activity] = await eventually("the workflow's activity", async () => {
        const list = await activitiesOf(l.id);
        return list.length > 0 ? list : undefined;
      });
      expect(activity).toMatchObject({ type: "email", made_by: "handoff" });
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at ?? null).toBeNull();
      // Posting one marked handoff (an integration logging its automated messages) does not count either.
      await env.s.post("/api/v1/activities", { type: "email", made_by: "handoff", related_id: l.id });
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at ?? null).toBeNull();
    });

    it("the admin's choice decides: count Handoff's messages, or only calls", async () => {
      const res = await env.s.api("/api/v1/workspace/settings", {
        method: "PATCH",
        json: { last_activity: { made_by: ["person", "contact", "handoff"], types: ["call", "email", "meeting", "note"] } },
      });
      expect(res.status).toBe(200);
      const l = await lead("Counted");
      await env.s.post("/api/v1/activities", {
        type: "email",
        made_by: "handoff",
        related_id: l.id,
        occurred_at: "2026-02-01T09:00:00.000Z",
      });
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at).toBe("2026-02-01T09:00:00.000Z");

      await env.s.api("/api/v1/workspace/settings", { method: "PATCH", json: { last_activity: { made_by: ["person"], types: ["call"] } } });
      const m = await lead("Calls only");
      await env.s.post("/api/v1/activities", { type: "note", related_id: m.id });
      expect((await env.s.get(`/api/v1/leads/${m.id}`)).last_activity_at ?? null).toBeNull();
      await env.s.post("/api/v1/activities", { type: "call", related_id: m.id, occurred_at: "2026-02-02T09:00:00.000Z" });
      expect((await env.s.get(`/api/v1/leads/${m.id}`)).last_activity_at).toBe("2026-02-02T09:00:00.000Z");

      const bad = await env.s.api("/api/v1/workspace/settings", { method: "PATCH", json: { last_activity: { made_by: ["robot"] } } });
      expect(bad.status).toBe(422);
    });
  });
}
