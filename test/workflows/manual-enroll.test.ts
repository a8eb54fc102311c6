/**
 * A manual enroll follows the workflow's enrollment rules: `reenrollment: false` keeps a record
 * that already went through it out (saying why), and `force: true` — admins and managers only —
 * enrolls it anyway, with an entry in the workflow's log naming who forced it. On both stores.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`manual enrollment on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const runsOf = async (workflowId: string) => (await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[];

    it("respects reenrollment: false unless forced, and audits the force", async () => {
      const w = await env.s.publish({
        key: "tag-once",
        name: "Tag once",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "manual" },
        start: "tag",
        steps: { tag: { type: "action", action: { type: "change_score", by: 1 } } },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Once", score: 0 });
      const first = await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      expect(first.data).toHaveLength(1);
      expect(first.skipped).toEqual([]);
      await eventually("the first run completed", async () =>
        (await runsOf(w.id)).every((r) => r.status === "completed") ? true : undefined,
      );

      // Again, without force: refused for this record, and why.
      const again = await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      expect(again.data).toEqual([]);
      expect(again.skipped).toHaveLength(1);
      expect(again.skipped[0].record_id).toBe(lead.id);
      expect(again.skipped[0].reason).toMatch(/re-enrollment is off; enroll with force/);
      expect(await runsOf(w.id)).toHaveLength(1);

      // A rep may not force.
      const rep = await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep");
      const refused = await env.s.api(`/api/v1/workflows/${w.id}/enroll`, {
        method: "POST",
        json: { record_ids: [lead.id], force: true },
        as: rep.secret,
      });
      expect(refused.status).toBe(404);
      // Not a boolean: refused, naming the field.
      const wrong = await env.s.api(`/api/v1/workflows/${w.id}/enroll`, { method: "POST", json: { record_ids: [lead.id], force: "yes" } });
      expect(wrong.status).toBe(400);
      expect(JSON.stringify(await wrong.json())).toContain("force");

      // Forced by the admin: a second run, and the log names who forced it.
      const forced = await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id], force: true });
      expect(forced.data).toHaveLength(1);
      await eventually("the forced run completed", async () =>
        (await runsOf(w.id)).filter((r) => r.status === "completed").length === 2 ? true : undefined,
      );
      expect((await env.s.get(`/api/v1/leads/${lead.id}`)).score).toBe(2);
      const log = (await env.s.get(`/api/v1/workflows/${w.id}/log`)).data as Json[];
      const entry = log.find((e) => e.kind === "forced");
      expect(entry?.record_id).toBe(lead.id);
      const me = await env.s.get("/api/v1/me");
      expect(entry?.message).toContain(`forced the enrollment of lead ${lead.id}`);
      expect(entry?.message).toContain(`${me.actor.kind} ${me.actor.id} forced`);
    });

    it("never starts a second run while one is under way, even forced; reenrollment: true needs no force", async () => {
      const w = await env.s.publish({
        key: "slow-again",
        name: "Slow, again",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        reenrollment: true,
        trigger: { type: "manual" },
        start: "wait",
        steps: { wait: { type: "delay", duration: { days: 1 }, next: "done" }, done: { type: "end" } },
      });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Busy" });
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      const busy = await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id], force: true });
      expect(busy.data).toEqual([]);
      expect(busy.skipped[0].reason).toMatch(/under way/);
      const [run] = await runsOf(w.id);
      await env.s.post(`/api/v1/runs/${run?.id}/cancel`, {});
      await eventually("the run cancelled", async () => ((await runsOf(w.id))[0]?.status === "cancelled" ? true : undefined));
      const again = await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [lead.id] });
      expect(again.data).toHaveLength(1);
      const log = (await env.s.get(`/api/v1/workflows/${w.id}/log`)).data as Json[];
      expect(log.filter((e) => e.kind === "forced")).toEqual([]);
    });
  });
}
