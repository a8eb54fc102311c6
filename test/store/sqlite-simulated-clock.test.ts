/**
 * The sandbox's store (issue 19): SQLite with its clock replaced by the caller's (`clockFromNow`)
 * judges due work items and leases by that clock — a timer 15 minutes ahead is claimed once the
 * simulated clock has moved 15 minutes, not before, however much wall time passes — while the
 * default store keeps SQLite's own clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/app/sandbox/simulated-clock.js";
import type { Store } from "../../src/store/ports.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { runRow } from "../helpers/runs.js";

const START = new Date("2030-06-01T12:00:00.000Z");
const MIN = 60_000;

describe("SQLite on a simulated clock", () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  async function withTimer(clockFromNow: boolean, clock: SimulatedClock) {
    store = openSqliteStore({ file: ":memory:", now: () => clock.now().toISOString(), clockFromNow });
    await store.migrate();
    await store.transaction(async (tx) => {
      await tx.workspaces.insertWorkspace({ id: "ws", slug: "ws", name: "WS", timeZone: "UTC", createdAt: START.toISOString() });
      await tx.runs.insertRun(runRow({ workspaceId: "ws", id: "r1", workflowId: "w1", recordId: "l1", status: "waiting" }));
      const due = new Date(START.getTime() + 15 * MIN).toISOString();
      await tx.work.insertWorkItems([{ workspaceId: "ws", runId: "r1", input: { kind: "continue" }, timerId: "t1", dueAt: due }]);
    });
    return store;
  }

  it("claims a timer when simulated time reaches it, and says how far away it is", async () => {
    const clock = new SimulatedClock(START);
    const s = await withTimer(true, clock);
    expect(await s.work.nextDueInMs()).toBe(15 * MIN);
    expect(await s.work.claimWork("me", 10, 30_000)).toEqual([]);
    clock.advance(15 * MIN - 1);
    expect(await s.work.claimWork("me", 10, 30_000)).toEqual([]);
    clock.advance(1);
    const claimed = await s.work.claimWork("me", 10, 30_000);
    expect(claimed.map((w) => w.timerId)).toEqual(["t1"]);
  });

  it("leases by the simulated clock too: a claim lapses when simulated time passes its lease", async () => {
    const clock = new SimulatedClock(START);
    const s = await withTimer(true, clock);
    clock.advance(15 * MIN);
    expect(await s.work.claimWork("a", 10, 30_000)).toHaveLength(1);
    expect(await s.work.claimWork("b", 10, 30_000)).toEqual([]);
    clock.advance(30_001);
    expect(await s.work.claimWork("b", 10, 30_000)).toHaveLength(1);
  });

  it("without the option, SQLite's own clock decides: a timer due in 2030 is not due now", async () => {
    const clock = new SimulatedClock(new Date(START.getTime() + 60 * MIN));
    const s = await withTimer(false, clock);
    expect(await s.work.claimWork("me", 10, 30_000)).toEqual([]);
  });
});
