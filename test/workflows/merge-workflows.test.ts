/**
 * What workflows see of a merge, on both stores (issue 20, item 4 and 6): a run waiting on the
 * merged record ends, cancelled "merged into contact <survivor>"; a `record_merged` workflow
 * starts once on the survivor (one `record.merged` event), and not on the merged record; no
 * `record_deleted` workflow starts for a merge.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const workflow = (key: string, trigger: unknown, steps: Record<string, unknown>, start: string) => ({
  key,
  name: key,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "contact",
  trigger,
  start,
  steps,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`merges and workflows on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });

    it("ends the merged record's runs with the merge's reason; the survivor's record_merged workflow runs once", async () => {
      const waiting = await env.s.publish(
        workflow(
          "wait-a-week",
          { type: "record_created" },
          { wait: { type: "delay", duration: { days: 7 }, next: "done" }, done: { type: "end" } },
          "wait",
        ),
      );
      const onMerge = await env.s.publish(
        workflow(
          "tell-on-merge",
          { type: "record_merged" },
          {
            task: { type: "action", action: { type: "create_task", subject: "Check the merged {{ record.last_name }}" }, next: "done" },
            done: { type: "end" },
          },
          "task",
        ),
      );
      const onDelete = await env.s.publish(workflow("tell-on-delete", { type: "record_deleted" }, { done: { type: "end" } }, "done"));
      const a = await env.s.post("/api/v1/contacts", { last_name: "Survivor" });
      const b = await env.s.post("/api/v1/contacts", { last_name: "Merged" });
      const runOf = async (recordId: string) =>
        ((await env.s.get(`/api/v1/runs?workflow_id=${waiting.id}`)).data as Json[]).find((r) => r.record_id === recordId);
      await eventually(
        "both contacts wait",
        async () => ((await runOf(b.id))?.status === "waiting" && (await runOf(a.id))?.status === "waiting") || undefined,
      );

      const m = await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: b.id });

      const cancelled = await eventually("the merged record's run ended", async () => {
        const r = await runOf(b.id);
        return r && r.status !== "waiting" ? r : undefined;
      });
      expect(cancelled.status).toBe("cancelled");
      const detail = await env.s.get(`/api/v1/runs/${cancelled.id}`);
      expect(JSON.stringify(detail)).toContain(`merged into contact ${a.id}`);
      expect((await runOf(a.id))?.status).toBe("waiting");

      const merged = await eventually("the record_merged run completed", async () => {
        const runs = (await env.s.get(`/api/v1/runs?workflow_id=${onMerge.id}`)).data as Json[];
        return runs.length > 0 && runs.every((r) => r.status === "completed") ? runs : undefined;
      });
      expect(merged.map((r) => r.record_id)).toEqual([a.id]);
      const tasks = (await env.s.get("/api/v1/tasks")).data as Json[];
      expect(tasks.filter((t) => t.subject === "Check the merged Survivor")).toHaveLength(1);
      expect((await env.s.get(`/api/v1/runs?workflow_id=${onDelete.id}`)).data).toEqual([]);

      // The event says which merge it was.
      const events = await env.s.services.store.events.readEvents(0, 100_000, env.s.workspace.id);
      const mergedEvents = events.filter((e) => e.type === "record.merged");
      expect(mergedEvents).toHaveLength(1);
      expect(mergedEvents[0]).toMatchObject({ recordId: a.id, detail: { merge_id: m.id, merged_id: b.id } });
    }, 60_000);
  });
}
