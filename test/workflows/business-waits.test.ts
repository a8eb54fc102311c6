/**
 * Business-time waits end to end over HTTP with the worker, on both stores (docs/sla.md,
 * "Business-time waits"): the runtime puts the owner's calendar (theirs, set on the user record)
 * into the facts and the wait is due at its next opening; a wait on the workspace's calendar
 * with no default runs 24×7 in the workspace's zone; a wait on a calendar that does not exist
 * is refused at publish with its path; the step's log says which calendar and zone it used.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const waitWorkflow = (key: string, delay: Record<string, unknown>) => ({
  key,
  name: key,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "ticket",
  trigger: { type: "manual" },
  start: "wait",
  steps: { wait: { type: "delay", ...delay, next: "done" }, done: { type: "end" } },
});

/** The next Sunday 02:00 UTC at or after `ms` (or `ms` itself inside Sunday 02:00–03:00). */
/**
 * The desk's one opening hour, 02:00–03:00 UTC on the weekday three days from today: never the
 * hour the test runs in (a Weekly desk made the test pass through, not wait, on Sundays at 02:00).
 */
const DESK_DAY = ((DateTime.utc().weekday + 2) % 7) + 1;
const DESK_KEY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][DESK_DAY - 1] as string;

function nextDeskOpening(ms: number): number {
  const now = DateTime.fromMillis(ms, { zone: "UTC" });
  for (let d = 0; d <= 7; d++) {
    const day = now.startOf("day").plus({ days: d });
    if (day.weekday !== DESK_DAY) continue;
    const open = day.set({ hour: 2 }).toMillis();
    const close = day.set({ hour: 3 }).toMillis();
    if (ms < close) return Math.max(open, ms);
  }
  throw new Error("no desk day within a week");
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`business-time waits on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const runOf = (workflowId: string) =>
      eventually(`a waiting run of ${workflowId}`, async () =>
        ((await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[]).find((r) => r.status === "waiting"),
      );

    it("waits until the owner's calendar opens, reading the calendar named on the assignee's user record", async () => {
      await env.s.post("/api/v1/calendars", { name: "Weekly desk", time_zone: "UTC", hours: { [DESK_KEY]: [["02:00", "03:00"]] } });
      const uma = await env.s.post("/api/v1/users", { name: "Uma", email: "uma@x.test", role: "rep", calendar: "Weekly desk" });
      const ticket = await env.s.post("/api/v1/tickets", { subject: "Printer on fire", assignee_id: uma.id });
      const w = await env.s.publish(waitWorkflow("until-owner-opens", { until_opening: { calendar: { of: "owner" } } }));
      const before = Date.now();
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [ticket.id] });
      const run = await runOf(w.id);
      const due = Date.parse(run.wait.dueAt);
      // The run waits for the desk's next opening, three days from now.
      expect(due).toBeGreaterThanOrEqual(nextDeskOpening(before));
      expect(due).toBeLessThanOrEqual(nextDeskOpening(Date.now()));
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(steps.find((s) => s.step === "wait")?.why).toContain("wait until the next opening on the owner's calendar (UTC)");
    });

    it("waits business hours on the workspace's calendar: 24×7 in its zone when it has no default", async () => {
      const ticket = await env.s.post("/api/v1/tickets", { subject: "Slow dashboard" });
      const w = await env.s.publish(waitWorkflow("two-business-hours", { business: { hours: 2 } }));
      const before = Date.now();
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [ticket.id] });
      const run = await runOf(w.id);
      const due = Date.parse(run.wait.dueAt);
      expect(due).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
      expect(due).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    });

    it("refuses at publish a wait on a calendar the workspace does not have, naming the path", async () => {
      const saved = await env.s.post("/api/v1/workflows", {
        definition: waitWorkflow("typo", { business: { hours: 1, calendar: { name: "Suport EU" } } }),
      });
      const res = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
      expect(res.status).toBe(422);
      const problems = ((await res.json()) as Json).errors as Json[];
      expect(problems).toContainEqual(
        expect.objectContaining({ path: "steps.wait.business.calendar.name", message: 'no calendar "Suport EU" in this workspace' }),
      );
      expect((await env.s.get(`/api/v1/workflows/${saved.id}`)).live_version).toBeNull();
    });
  });
}
