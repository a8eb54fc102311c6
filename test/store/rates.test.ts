/**
 * Conformance of the rate cap's storage (migration 013), on SQLite and a real PostgreSQL: the
 * per-workflow slot rows (locked, saved, never a lost update between two transactions), the
 * count of deferred runs a workflow's page shows, loop stops by record with their chain, and
 * events by id (the chain walk).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/ports.js";
import type { WorkflowRate } from "../../src/store/rate-ports.js";
import { runRow } from "../helpers/runs.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:01:00.000Z";
const T2 = "2026-01-01T00:02:00.000Z";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`rate cap storage: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("keeps one slot row per workflow: absent until saved, then replaced, per workspace", async () => {
      const row = (workflowId: string, used: number, alertedAt: string | null = null): WorkflowRate => ({
        workspaceId: "ws-a",
        workflowId,
        windowStart: T0,
        used,
        alertedAt,
      });
      expect(await store.transaction((tx) => tx.rates.lockWorkflowRates("ws-a", ["wf-1", "wf-2"]))).toEqual([]);
      await store.transaction((tx) => tx.rates.saveWorkflowRates([row("wf-1", 3), row("wf-2", 1)]));
      await store.transaction((tx) => tx.rates.saveWorkflowRates([{ ...row("wf-1", 7, T1), windowStart: T1 }]));
      const read = await store.transaction((tx) => tx.rates.lockWorkflowRates("ws-a", ["wf-2", "wf-1", "wf-none", "wf-1"]));
      expect(read.sort((a, b) => a.workflowId.localeCompare(b.workflowId))).toEqual([
        { ...row("wf-1", 7, T1), windowStart: T1 },
        row("wf-2", 1),
      ]);
      expect(await store.transaction((tx) => tx.rates.lockWorkflowRates("ws-b", ["wf-1"]))).toEqual([]);
      expect(await store.transaction((tx) => tx.rates.lockWorkflowRates("ws-a", []))).toEqual([]);
    });

    it("gives out slots one transaction after another: two that lock the same row lose no update", async () => {
      await store.transaction((tx) =>
        tx.rates.saveWorkflowRates([{ workspaceId: "ws-a", workflowId: "wf-race", windowStart: T0, used: 0, alertedAt: null }]),
      );
      const take = () =>
        store.transaction(async (tx) => {
          const [r] = await tx.rates.lockWorkflowRates("ws-a", ["wf-race"]);
          if (!r) throw new Error("missing");
          await new Promise((resolve) => setTimeout(resolve, 50));
          await tx.rates.saveWorkflowRates([{ ...r, used: r.used + 1 }]);
        });
      await Promise.all([take(), take(), take()]);
      const [r] = await store.transaction((tx) => tx.rates.lockWorkflowRates("ws-a", ["wf-race"]));
      expect(r?.used).toBe(3);
    });

    it("counts a workflow's deferred runs: at their first step, with an untried continue due after they were created", async () => {
      const run = (id: string, workflowId = "wf-d", seq = 0) => runRow({ workspaceId: "ws-a", id, workflowId, recordId: `rec-${id}`, seq });
      await store.transaction(async (tx) => {
        await tx.runs.insertRuns([run("d-1"), run("d-2"), run("d-now"), run("d-moved", "wf-d", 1), run("d-other", "wf-other")]);
        const item = (runId: string, dueAt: string, timerId: string | null = null) => ({
          workspaceId: "ws-a",
          runId,
          input: { kind: "continue" },
          timerId,
          dueAt,
        });
        await tx.work.insertWorkItems([
          item("d-1", T1),
          item("d-2", T2),
          // Due as the run was created: an ordinary first step, not deferred.
          item("d-now", T0),
          // Not at its first step any more, or a timer, or another workflow's.
          item("d-moved", T2),
          item("d-1", T2, "timer-1"),
          item("d-other", T2),
        ]);
      });
      expect(await store.rates.deferredRuns("ws-a", "wf-d")).toEqual({ count: 2, nextAt: T1, lastAt: T2 });
      expect(await store.rates.deferredRuns("ws-a", "wf-none")).toEqual({ count: 0, nextAt: null, lastAt: null });
      expect(await store.rates.deferredRuns("ws-b", "wf-d")).toEqual({ count: 0, nextAt: null, lastAt: null });
    });

    it("reads a record's loop stops with their chain, one per stopped event, newest first", async () => {
      const stop = (workflowId: string, eventId: string, message: string) => ({
        workspaceId: "ws-a",
        workflowId,
        recordId: "rec-loop",
        eventId,
        kind: "suppressed" as const,
        message,
        at: T1,
        chain: ["wf-ping", "wf-pong"],
      });
      await store.transaction((tx) =>
        tx.workflows.appendWorkflowLog([
          stop("wf-ping", "ev-1", "first stop"),
          stop("wf-pong", "ev-1", "first stop"),
          // Not a loop stop (no chain), or another record's.
          { ...stop("wf-ping", "ev-x", "own write"), chain: null },
          { ...stop("wf-ping", "ev-y", "elsewhere"), recordId: "rec-else" },
          stop("wf-ping", "ev-2", "second stop"),
          stop("wf-pong", "ev-2", "second stop"),
        ]),
      );
      const stops = await store.workflows.loopStopsOfRecord("ws-a", "rec-loop", 10);
      expect(stops.map((s) => [s.eventId, s.message, s.chain])).toEqual([
        ["ev-2", "second stop", ["wf-ping", "wf-pong"]],
        ["ev-1", "first stop", ["wf-ping", "wf-pong"]],
      ]);
      expect(await store.workflows.loopStopsOfRecord("ws-a", "rec-loop", 1)).toHaveLength(1);
      expect(await store.workflows.loopStopsOfRecord("ws-b", "rec-loop", 10)).toEqual([]);
      const log = await store.workflows.readWorkflowLog("ws-a", "wf-ping", 10);
      expect(log.find((r) => r.eventId === "ev-x")?.chain).toBeNull();
      expect(log.find((r) => r.eventId === "ev-1")?.chain).toEqual(["wf-ping", "wf-pong"]);
    });

    it("reads an event by id, in its workspace", async () => {
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-ev", slug: "ev", name: "Ev", timeZone: "UTC", createdAt: T0 });
        await tx.events.appendEvents([
          {
            id: "ev-by-id",
            workspaceId: "ws-ev",
            type: "record.updated",
            object: "contact",
            recordId: "r1",
            recordVersion: 2,
            actor: { kind: "workflow", id: "wf-ping" },
            causeId: "run-1",
            changes: [{ field: "title", old: "a", new: "b" }],
            occurredAt: T0,
            depth: 3,
          },
        ]);
      });
      expect(await store.events.getEvent("ws-ev", "ev-by-id")).toMatchObject({
        id: "ev-by-id",
        actor: { kind: "workflow", id: "wf-ping" },
        causeId: "run-1",
        depth: 3,
      });
      expect(await store.events.getEvent("ws-a", "ev-by-id")).toBeUndefined();
      expect(await store.events.getEvent("ws-ev", "ev-none")).toBeUndefined();
    });
  });
}
