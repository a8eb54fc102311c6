/**
 * Runs on the canvas (issue 15, item 6): `stepCountsSince` answers, for one version of a
 * workflow, per step, the runs started since an instant that passed it (in the log, moved on),
 * wait there now and failed there — on both stores, within the workspace, the workflow, the
 * version and the window — and the runs list's step filter (`queryRuns` with step and
 * stepState) finds exactly the runs each count counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStatus } from "../../src/engine/run-state.js";
import type { RunRow, RunStepRow, StepState } from "../../src/store/workflow-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-03T12:00:00.000Z");
const SINCE = new Date(NOW - 7 * DAY).toISOString();

interface Spec {
  id: string;
  workspace?: string;
  workflow?: string;
  version?: number;
  ageDays?: number;
  status: RunStatus;
  /** Where the run is now (null once completed). */
  at: string | null;
  /** The steps in its log, in order. */
  log: string[];
}

function runOf(s: Spec): RunRow {
  const created = new Date(NOW - (s.ageDays ?? 1) * DAY).toISOString();
  return {
    workspaceId: s.workspace ?? "ws-a",
    id: s.id,
    workflowId: s.workflow ?? "wf-1",
    version: s.version ?? 2,
    recordId: `rec-${s.id}`,
    triggerKey: `t-${s.id}`,
    state: { status: s.status, step: s.at, wait: null, reason: null, stepsTaken: s.log.length } as unknown as RunRow["state"],
    seq: s.log.length,
    depth: 1,
    createdAt: created,
    updatedAt: created,
    finishedAt: null,
  };
}

function stepsOf(s: Spec): RunStepRow[] {
  return s.log.map((step, i) => ({
    workspaceId: s.workspace ?? "ws-a",
    runId: s.id,
    seq: i + 1,
    step,
    type: "action",
    input: "continue",
    outcome: "succeeded",
    why: "test",
    effects: [],
    at: new Date(NOW - DAY).toISOString(),
    durationMs: 1,
    runInput: null,
    recordVersion: null,
    factsDigest: null,
    factsSeen: null,
  }));
}

const RUNS: Spec[] = [
  // Passed assign and task, completed.
  { id: "r01", status: "completed", at: null, log: ["assign", "task", "task"] },
  // Passed assign, waiting at the timer (its log has the timer's first step).
  { id: "r02", status: "waiting", at: "timer", log: ["assign", "timer"] },
  { id: "r03", status: "waiting", at: "timer", log: ["assign", "timer"] },
  // Failed at task (logged there), after passing assign.
  { id: "r04", status: "failed", at: "task", log: ["assign", "task"] },
  // Failed at task once, retried, and now waiting at the timer: task passed.
  { id: "r05", status: "waiting", at: "timer", log: ["assign", "task", "task", "timer"] },
  // Outside the window, another version, another workflow, another workspace: never counted.
  { id: "r06", ageDays: 9, status: "failed", at: "task", log: ["assign", "task"] },
  { id: "r07", version: 1, status: "failed", at: "assign", log: ["assign"] },
  { id: "r08", workflow: "wf-2", status: "waiting", at: "timer", log: ["assign", "timer"] },
  { id: "r09", workspace: "ws-b", status: "failed", at: "task", log: ["assign", "task"] },
];

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`runs per step of a version since an instant: ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await t.store.transaction(async (tx) => {
        await tx.runs.insertRuns(RUNS.map(runOf));
        await tx.runs.insertRunSteps(RUNS.flatMap(stepsOf));
      });
    });
    afterAll(() => t.dispose());

    it("counts, per step, the runs that passed it, wait there and failed there — each run once", async () => {
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-1", 2, SINCE)).toEqual([
        { step: "assign", passed: 5, waiting: 0, failed: 0 },
        { step: "task", passed: 2, waiting: 0, failed: 1 },
        { step: "timer", passed: 0, waiting: 3, failed: 0 },
      ]);
    });

    it("keeps to the version, the window, the workflow and the workspace", async () => {
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-1", 1, SINCE)).toEqual([{ step: "assign", passed: 0, waiting: 0, failed: 1 }]);
      const wider = new Date(NOW - 10 * DAY).toISOString();
      expect((await t.store.runs.stepCountsSince("ws-a", "wf-1", 2, wider)).find((c) => c.step === "task")).toEqual({
        step: "task",
        passed: 2,
        waiting: 0,
        failed: 2,
      });
      expect(await t.store.runs.stepCountsSince("ws-b", "wf-1", 2, SINCE)).toEqual([
        { step: "assign", passed: 1, waiting: 0, failed: 0 },
        { step: "task", passed: 0, waiting: 0, failed: 1 },
      ]);
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-9", 2, SINCE)).toEqual([]);
    });

    it("lists exactly the runs each count counts (the runs list's step filter)", async () => {
      const ids = async (step: string, stepState?: StepState) =>
        (
          await t.store.runs.queryRuns({
            workspaceId: "ws-a",
            workflowId: "wf-1",
            version: 2,
            since: SINCE,
            step,
            ...(stepState ? { stepState } : {}),
            limit: 50,
          })
        )
          .map((r) => r.id)
          .sort();
      expect(await ids("assign", "passed")).toEqual(["r01", "r02", "r03", "r04", "r05"]);
      expect(await ids("task", "passed")).toEqual(["r01", "r05"]);
      expect(await ids("task", "failed")).toEqual(["r04"]);
      expect(await ids("timer", "waiting")).toEqual(["r02", "r03", "r05"]);
      expect(await ids("timer", "passed")).toEqual([]);
      // Without a state: every run that reached the step.
      expect(await ids("task")).toEqual(["r01", "r04", "r05"]);
    });

    it("sees the runs a transaction has just created and still keeps in memory", async () => {
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([runOf({ id: "r10", workspace: "ws-c", status: "waiting", at: "timer", log: [] })]);
        expect(await tx.runs.stepCountsSince("ws-c", "wf-1", 2, SINCE)).toEqual([{ step: "timer", passed: 0, waiting: 1, failed: 0 }]);
      });
    });
  });
}
