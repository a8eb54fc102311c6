/**
 * What the record page reads about automation, over real HTTP on both stores: a waiting run says
 * what it waits for in words, until when and what comes then (`waiting_for` on GET /runs and
 * GET /runs/{id}); the timeline names who made each change; "Run workflow" (POST
 * /workflows/{id}/enroll) is refused to a role that may not change the record; and another
 * workspace sees none of it.
 */
import { describe, expect, it } from "vitest";
import { runListItemSchema } from "../../src/api/routes/run-schemas.js";
import { timelineSchema } from "../../src/api/routes/timeline-schemas.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the record page's automation API on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const waitingRun = (recordId: string) =>
      eventually(
        "the run waiting",
        async () => ((await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data as Json[]).find((r) => r.status === "waiting"),
        20_000,
      );

    it("a timer wait under a goal says the goal, the deadline, the next step and why it waits", async () => {
      const w = await env.s.publish({
        key: "call-or-nudge",
        name: "Call or nudge",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "manual" },
        goal: { count: { object: "activity", via: "related_id", where: { field: "type", op: "eq", value: "call" } }, op: "gte", value: 1 },
        start: "wait",
        steps: {
          wait: { type: "delay", description: "A logged call ends the run first.", duration: { minutes: 15 }, next: "nudge" },
          nudge: { type: "action", action: { type: "change_score", by: 1 } },
        },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Waiting" });
      const before = Date.now();
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      const run = await waitingRun(lead.id);
      runListItemSchema.parse(run);
      expect(run.waiting_for).toMatchObject({
        for: "a call activity on this record",
        next_step: "nudge",
        why: "A logged call ends the run first.",
      });
      const until = Date.parse(run.waiting_for.until);
      expect(until).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1_000);
      expect(until).toBeLessThan(Date.now() + 15 * 60_000 + 1_000);
      // The run's own page says the same; a run that is not waiting says null.
      expect((await env.s.get(`/api/v1/runs/${run.id}`)).waiting_for).toEqual(run.waiting_for);
      await env.s.post("/api/v1/activities", { type: "call", subject: "Called", related_id: lead.id });
      const ended = await eventually("the goal ended the run", async () => {
        const r = await env.s.get(`/api/v1/runs/${run.id}`);
        return r.status === "exited" ? r : undefined;
      });
      expect(ended.waiting_for).toBeNull();
    });

    it("a wait_for names the awaited event and where the timeout leads", async () => {
      const w = await env.s.publish({
        key: "await-meeting",
        name: "Await a meeting",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "manual" },
        start: "wait",
        steps: {
          wait: {
            type: "wait_for",
            event: { object: "activity", link: "related_id", where: { field: "type", op: "eq", value: "meeting" } },
            timeout: { days: 2 },
            next: "done",
            on_timeout: "give-up",
          },
          done: { type: "end" },
          "give-up": { type: "end" },
        },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Meeting" });
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      const run = await waitingRun(lead.id);
      expect(run.waiting_for).toMatchObject({
        for: "a new activity on this record where type is meeting",
        next_step: "give-up",
        why: null,
      });
      expect(Date.parse(run.waiting_for.until)).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    });

    it("the timeline names who made each change: an API token, a workflow", async () => {
      const w = await env.s.publish({
        key: "bump",
        name: "Bump the score",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "manual" },
        start: "bump",
        steps: { bump: { type: "action", action: { type: "change_score", by: 5 } } },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Named", score: 1 });
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      const timeline = await eventually("the workflow's change on the timeline", async () => {
        const t = await env.s.get(`/api/v1/leads/${lead.id}/timeline`);
        return (t.data as Json[]).some((i) => i.kind === "change" && i.actor.kind === "workflow") ? t : undefined;
      });
      // The answer is what the OpenAPI document says it is (the web app's types come from there).
      timelineSchema.parse(timeline);
      const changes = (timeline.data as Json[]).filter((i) => i.kind === "change");
      expect(changes.map((c) => [c.action, c.actor.kind, c.actor.name])).toEqual([
        ["update", "workflow", "Bump the score"],
        ["create", "person", "API token “acme admin”"],
      ]);
    });

    it("Run workflow is refused to a role that may not change the record, and to another workspace", async () => {
      const w = await env.s.publish({
        key: "team-check",
        name: "Team check",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "team",
        trigger: { type: "manual" },
        start: "done",
        steps: { done: { type: "end" } },
      });
      const team = await env.s.post("/api/v1/teams", { name: "Checked" });
      const rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      // A rep reads teams but does not change them: the run would write in their stead.
      const refused = await env.s.api(`/api/v1/workflows/${w.id}/enroll`, { method: "POST", json: { record_ids: [team.id] }, as: rep });
      expect(refused.status).toBe(404);
      expect(((await env.s.get(`/api/v1/runs?record_id=${team.id}`)).data as Json[]).length).toBe(0);
      // A rep may run a workflow on a lead.
      const leadFlow = await env.s.publish({
        key: "lead-check",
        name: "Lead check",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "manual" },
        start: "done",
        steps: { done: { type: "end" } },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Rep runs" });
      const ran = await env.s.api(`/api/v1/workflows/${leadFlow.id}/enroll`, { method: "POST", json: { record_ids: [lead.id] }, as: rep });
      expect(ran.status).toBe(201);
      // The admin may.
      expect((await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [team.id] })).data).toHaveLength(1);

      // Another workspace: its admin neither sees this lead's runs and timeline nor runs a workflow on it.
      const other = await env.s.newWorkspace("other-ws");
      expect((await env.s.api(`/api/v1/leads/${lead.id}/timeline`, { as: other.token })).status).toBe(404);
      const runs = (await (await env.s.api(`/api/v1/runs?record_id=${lead.id}`, { as: other.token })).json()) as Json;
      expect(runs.data).toEqual([]);
      const foreign = await env.s.api(`/api/v1/workflows/${leadFlow.id}/enroll`, {
        method: "POST",
        json: { record_ids: [lead.id] },
        as: other.token,
      });
      expect(foreign.status).toBe(404);
    });
  });
}
