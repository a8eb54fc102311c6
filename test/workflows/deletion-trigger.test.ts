/**
 * record_deleted workflows run on the record's last state: a branch and templates read the
 * deleted record as it was, a notification and a task are created, and the run completes
 * (it used to be cancelled — "the record was deleted" — before its first step). Steps that
 * would write the deleted record are refused at publish, each at its path. On both stores.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const deletionWorkflow = (key: string, steps: Record<string, unknown>, start = "a") => ({
  key,
  name: key,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_deleted" },
  start,
  steps,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`record_deleted triggers on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });

    it("runs on the deleted record's last state: reads it, notifies, creates a task, completes", async () => {
      const owner = await env.s.post("/api/v1/users", { name: "Olga Owner", email: "olga@example.com" });
      const w = await env.s.publish(
        deletionWorkflow(
          "lead-deleted",
          {
            hot: {
              type: "branch",
              rules: [{ when: { field: "score", op: "gt", value: 40 }, next: "tell" }],
              else: "done",
            },
            tell: {
              type: "action",
              action: {
                type: "notify",
                to: { field: "owner_id" },
                message: "Lead {{ record.last_name }} (score {{ record.score }}) was deleted",
              },
              next: "task",
            },
            task: {
              type: "action",
              action: { type: "create_task", subject: "Check why {{ record.last_name }} was deleted", priority: "P2" },
              next: "done",
            },
            done: { type: "end" },
          },
          "hot",
        ),
      );
      const lead = await env.s.post("/api/v1/leads", { last_name: "Gone", score: 70, owner_id: owner.id });
      const res = await env.s.api(`/api/v1/leads/${lead.id}`, { method: "DELETE" });
      expect(res.status).toBeLessThan(300);

      const run = await eventually("the deletion run ended", async () => {
        const [r] = (await env.s.get(`/api/v1/runs?workflow_id=${w.id}`)).data as Json[];
        return r && ["completed", "cancelled", "failed"].includes(r.status) ? r : undefined;
      });
      expect(run).toMatchObject({ record_id: lead.id, status: "completed" });
      const detail = await env.s.get(`/api/v1/runs/${run.id}`);
      const outcomes = (detail.steps as Json[]).map((s) => `${s.step}:${s.outcome}`);
      expect(outcomes).toEqual(["hot:→ tell", "tell:applied", "task:applied", "done:completed"]);
      expect((detail.steps as Json[])[0]?.why).toContain("score (70) gt 40");

      const notes = (await env.s.get("/api/v1/notifications")).data as Json[];
      expect(notes.map((n) => n.message)).toContain("Lead Gone (score 70) was deleted");
      const tasks = (await env.s.get("/api/v1/tasks")).data as Json[];
      const task = tasks.find((t) => t.subject === "Check why Gone was deleted");
      expect(task).toBeDefined();
      expect(task?.owner_id).toBe(owner.id);
      expect(task?.related_id).toBeUndefined();
    });

    it("refuses, at publish, steps that would write the deleted record — each at its path", async () => {
      const definition = deletionWorkflow("writes-deleted", {
        a: { type: "action", action: { type: "update_fields", fields: { last_name: "x" } }, next: "b" },
        b: { type: "action", action: { type: "change_score", by: -5 }, next: "c" },
        c: { type: "action", action: { type: "assign_owner", to: { company_owner: true } }, next: "d" },
        d: { type: "action", action: { type: "add_activity", subject: "deleted" }, next: "e" },
        e: {
          type: "action",
          action: { type: "create_record", object: "task", fields: { subject: "x" }, link_field: "related_id" },
          next: "f",
        },
        f: { type: "action", action: { type: "notify", to: { field: "owner_id" }, message: "deleted" }, next: "g" },
        g: { type: "end" },
      });
      const { valid, errors } = await env.s.post("/api/v1/workflows/validate", { definition });
      expect(valid).toBe(false);
      const paths = (errors as Json[]).map((e) => e.path);
      expect(paths).toEqual(["steps.a.action", "steps.b.action", "steps.c.action", "steps.d.action", "steps.e.action.link_field"]);
      expect((errors as Json[])[0]?.message).toMatch(
        /update_fields writes the record's fields, but this workflow runs when the lead is deleted/,
      );

      const saved = await env.s.post("/api/v1/workflows", { definition });
      const publish = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
      expect(publish.status).toBe(422);
    });
  });
}
