/**
 * Runs a transaction creates with insertNewRuns are kept and written once, in their latest
 * state: every read of the runs table in the transaction still sees them, updates guard on
 * their seq as in the table, a savepoint's rollback puts back their earlier state, and a run
 * whose (workflow, trigger key) exists by the commit fails the whole transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { runRow, T0 } from "../helpers/runs.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T1 = "2026-01-01T00:01:00.000Z";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`kept new runs on ${kind.name}`, () => {
    let t: TestStore;
    const ws = "ws-new-runs";
    const run = (id: string, recordId: string, triggerKey = `key-${id}`): RunRow =>
      runRow({ workspaceId: ws, id, workflowId: "wf-new", recordId, triggerKey });
    const moved = (r: RunRow, seq: number, status: "running" | "completed" = "running"): RunRow => ({
      ...r,
      seq,
      state: { ...r.state, status, stepsTaken: seq, step: status === "completed" ? null : `s${seq}` },
      updatedAt: T1,
      finishedAt: status === "completed" ? T1 : null,
    });

    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t.dispose();
    });

    it("commits each run once, in its latest state, and updates guard on the seq", async () => {
      const a = run("nr-a", "rec-a");
      const b = run("nr-b", "rec-b");
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([a, b]);
        expect(await tx.runs.updateRuns([{ run: moved(a, 1), expectedSeq: 0 }])).toBe(1);
        expect(await tx.runs.updateRuns([{ run: moved(a, 2, "completed"), expectedSeq: 1 }])).toBe(1);
        // A stale seq is refused, as the table would.
        expect(await tx.runs.updateRuns([{ run: moved(b, 5), expectedSeq: 3 }])).toBe(0);
        expect(await tx.runs.updateRun(moved(b, 1), 0)).toBe(true);
        expect(await tx.runs.updateRun(moved(b, 9), 0)).toBe(false);
      });
      const [ra, rb] = await t.store.runs.getRuns(ws, ["nr-a", "nr-b"]);
      expect(ra).toMatchObject({ seq: 2, finishedAt: T1 });
      expect(ra?.state.status).toBe("completed");
      expect(rb).toMatchObject({ seq: 1, finishedAt: null });
      expect(rb?.state.step).toBe("s1");
    });

    it("is seen by every read of the runs table in its transaction", async () => {
      const c = run("nr-c", "rec-c");
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([c]);
        await tx.runs.updateRuns([{ run: moved(c, 1), expectedSeq: 0 }]);
        expect((await tx.runs.getRun(ws, "nr-c"))?.seq).toBe(1);
        // Written now; an update after that goes to the table.
        expect(await tx.runs.updateRun(moved(c, 2), 1)).toBe(true);
        expect((await tx.runs.runsOfRecords(ws, ["rec-c"])).map((r) => [r.id, r.seq])).toEqual([["nr-c", 2]]);
      });
      const d = run("nr-d", "rec-d");
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([d]);
        expect(await tx.runs.queryRuns({ workspaceId: ws, workflowId: "wf-new", limit: 10 })).toHaveLength(4);
      });
      const e = run("nr-e", "rec-e");
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([e]);
        expect((await tx.runs.activeRunsOf(ws, ["rec-e"])).map((r) => r.id)).toEqual(["nr-e"]);
        expect((await tx.runs.latestRunOf(ws, "wf-new", "rec-e"))?.id).toBe("nr-e");
      });
    });

    it("puts back a kept run's earlier state when a savepoint rolls back", async () => {
      const f = run("nr-f", "rec-f");
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([f]);
        await tx.runs.updateRun(moved(f, 1), 0);
        await expect(
          tx.savepoint(async () => {
            await tx.runs.updateRun(moved(f, 2, "completed"), 1);
            throw new Error("step failed");
          }),
        ).rejects.toThrow("step failed");
        expect(await tx.runs.updateRun(moved(f, 2), 1)).toBe(true);
      });
      const got = await t.store.runs.getRun(ws, "nr-f");
      expect(got?.seq).toBe(2);
      expect(got?.state.status).toBe("running");
    });

    it("fails the whole transaction when a run's (workflow, trigger key) exists by the commit", async () => {
      await t.store.transaction((tx) => tx.runs.insertRuns([run("nr-g", "rec-g", "key-taken")]));
      await expect(
        t.store.transaction(async (tx) => {
          await tx.runs.insertNewRuns([run("nr-h", "rec-h"), run("nr-i", "rec-i", "key-taken")]);
          await tx.workflows.appendWorkflowLog([
            {
              workspaceId: ws,
              workflowId: "wf-new",
              recordId: null,
              eventId: null,
              kind: "skipped",
              message: "written with the runs",
              at: T0,
            },
          ]);
        }),
      ).rejects.toThrow(/exist already/);
      expect(await t.store.runs.getRuns(ws, ["nr-h", "nr-i"])).toEqual([]);
      expect(await t.store.workflows.readWorkflowLog(ws, "wf-new", 10)).toEqual([]);
    });
  });
}
