/**
 * A matcher pass reads every run of its events' records once and writes the runs it starts in
 * one statement. If one of them cannot be written — a run for the same (workflow, trigger
 * event) exists — only that one is dropped, with its work; the others of the pass go on. (With
 * first steps taken inline the pass keeps its new runs until the commit, where the clash fails
 * it: the worker matches the batch again without inline steps, which is the path asserted here.)
 */
import { describe, expect, it } from "vitest";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`a matcher pass on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("writes its runs together and drops only a run whose trigger event already has one", async () => {
      const workflow = await env.s.publish({
        key: "welcome-score",
        name: "Welcome score",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        trigger: { type: "record_created" },
        start: "bump",
        steps: { bump: { type: "action", action: { type: "change_score", by: 5 } } },
      });
      const ws = env.s.workspace.id;
      const a = await env.s.post("/api/v1/contacts", { last_name: "Squatted", score: 1 });
      const b = await env.s.post("/api/v1/contacts", { last_name: "Plain", score: 1 });
      const events = await env.t.store.events.readEvents(0, 10_000, ws);
      const created = events.find((e) => e.type === "record.created" && e.recordId === a.id);
      expect(created).toBeDefined();
      // A run of this workflow already holds A's creation event as its trigger key (on another
      // record, so that A's own runs look untouched): the pass's insert must skip A's run alone.
      const squatter: RunRow = {
        workspaceId: ws,
        id: "squatter-run",
        workflowId: workflow.id,
        version: 1,
        recordId: "some-other-record",
        triggerKey: created?.id ?? "",
        state: { status: "completed", step: null, wait: null, stepsTaken: 1, reason: "reached the end" },
        seq: 1,
        depth: 1,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
      };
      await env.t.store.transaction((tx) => tx.runs.insertRun(squatter));
      await env.s.services.worker.drain();

      expect((await env.s.get(`/api/v1/contacts/${b.id}`)).score).toBe(6);
      expect((await env.s.get(`/api/v1/runs?record_id=${b.id}`)).data).toHaveLength(1);
      expect((await env.s.get(`/api/v1/contacts/${a.id}`)).score).toBe(1);
      expect((await env.s.get(`/api/v1/runs?record_id=${a.id}`)).data).toHaveLength(0);
      expect(await env.t.store.work.pendingWorkCount()).toBe(0);
    });
  });
}
