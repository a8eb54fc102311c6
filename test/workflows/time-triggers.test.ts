/**
 * Time-based triggers over HTTP with the worker running, on both stores: relative to a date
 * field (scheduled at publish for existing records, moved when the date moves), inactivity, and
 * cron schedules. Instants are chosen a couple of seconds ahead so that real time can pass.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const HOUR = 3_600_000;
const DAY = 86_400_000;
const inSeconds = (s: number, plusMs = 0) => new Date(Date.now() + plusMs + s * 1000).toISOString();

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`time-based triggers on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const runsOf = async (workflowId: string) => (await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[];
    const publish = async (definition: unknown) => {
      const saved = await env.s.post("/api/v1/workflows", { definition });
      return env.s.post(`/api/v1/workflows/${saved.id}/publish`, {});
    };

    it("fires relative to a date field: for records that existed at publish, and as dates move", async () => {
      const early = await env.s.post("/api/v1/tasks", { subject: "Existing", due_at: inSeconds(2, HOUR) });
      const w = await publish({
        key: "due-in-an-hour",
        name: "Escalate tasks due within the hour",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "task",
        trigger: { type: "relative_date", field: "due_at", offset: { hours: 1, before: true } },
        conditions: { field: "status", op: "neq", value: "done" },
        start: "escalate",
        steps: { escalate: { type: "action", action: { type: "update_fields", fields: { priority: "P1" } } } },
      });
      const later = await env.s.post("/api/v1/tasks", { subject: "Created after publish", due_at: inSeconds(3, HOUR) });
      const moved = await env.s.post("/api/v1/tasks", { subject: "Moved out", due_at: inSeconds(3, HOUR) });
      await env.s.api(`/api/v1/tasks/${moved.id}`, { method: "PATCH", json: { due_at: inSeconds(0, DAY) } });
      const done = await env.s.post("/api/v1/tasks", { subject: "Already done", due_at: inSeconds(3, HOUR), status: "done" });

      await eventually("both due tasks escalated", async () => {
        const [a, b] = await Promise.all([env.s.get(`/api/v1/tasks/${early.id}`), env.s.get(`/api/v1/tasks/${later.id}`)]);
        return a.priority === "P1" && b.priority === "P1" ? true : undefined;
      });
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await env.s.get(`/api/v1/tasks/${moved.id}`)).priority).toBe("P3");
      expect((await env.s.get(`/api/v1/tasks/${done.id}`)).priority).toBe("P3");
      const runs = await runsOf(w.id);
      expect(runs.map((r) => r.record_id).sort()).toEqual([early.id, later.id].sort());
      expect(runs.every((r) => r.trigger.startsWith("time:") && r.status === "completed")).toBe(true);
    });

    it("fires after N days without activity, counted from the last one", async () => {
      const w = await publish({
        key: "gone-quiet",
        name: "Flag contacts that went quiet",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        trigger: { type: "inactivity", days: 30 },
        start: "flag",
        steps: { flag: { type: "action", action: { type: "update_fields", fields: { status: "inactive" } } } },
      });
      const c = await env.s.post("/api/v1/contacts", { last_name: "Quiet" });
      // Its last activity was 30 days ago, less two seconds.
      await env.s.post("/api/v1/activities", { type: "call", related_id: c.id, occurred_at: inSeconds(2, -30 * DAY) });
      await eventually("the contact flagged inactive", async () =>
        (await env.s.get(`/api/v1/contacts/${c.id}`)).status === "inactive" ? true : undefined,
      );
      const [run] = await runsOf(w.id);
      expect(run).toMatchObject({ record_id: c.id, status: "completed" });
    });

    it("runs on a cron schedule for every record that matches, and schedules the next occurrence", async () => {
      const hot = await env.s.post("/api/v1/leads", { last_name: "Hot", score: 90 });
      const cold = await env.s.post("/api/v1/leads", { last_name: "Cold", score: 5 });
      const w = await publish({
        key: "every-second",
        name: "Sweep hot leads",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        reenrollment: true,
        trigger: { type: "schedule", cron: "* * * * * *", time_zone: "Europe/Berlin", filter: { field: "score", op: "gt", value: 50 } },
        start: "touch",
        steps: { touch: { type: "action", action: { type: "change_score", by: 1 } } },
      });
      await eventually("two sweeps", async () =>
        (await runsOf(w.id)).filter((r) => r.status === "completed").length >= 2 ? true : undefined,
      );
      await env.s.post(`/api/v1/workflows/${w.id}/archive`, {});
      const runs = await runsOf(w.id);
      expect(new Set(runs.map((r) => r.record_id))).toEqual(new Set([hot.id]));
      expect((await env.s.get(`/api/v1/leads/${hot.id}`)).score).toBeGreaterThanOrEqual(92);
      expect((await env.s.get(`/api/v1/leads/${cold.id}`)).score).toBe(5);
      // Archived: no more sweeps.
      const settled = (await runsOf(w.id)).length;
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await runsOf(w.id)).length).toBeLessThanOrEqual(settled + 1);
    });
  });
}
