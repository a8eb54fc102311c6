/**
 * SLA attainment's read on SQLite and a real PostgreSQL (issue 22; docs/kpis.md): clocks and their
 * history written by hand, the answer counted by hand. A target ends once — met at its stop,
 * missed at its breach (or at a stop past the target when no breach fired) — so a breached clock
 * stopped later is not counted again, a clock that breached before the period and stopped in it
 * is not in the period, and cancelled and running clocks count as neither. Only the policy's
 * object, only the workspace, and the owner as the KPI rollup keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slaAttainment } from "../../src/app/kpis/sla-attainment.js";
import type { RecordFact } from "../../src/store/kpi-ports.js";
import type { Store } from "../../src/store/ports.js";
import type { SlaClockEventKind, SlaClockRow, SlaPolicyRow } from "../../src/store/sla-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const D = "2026-11-10";
const D1 = "2026-11-11";
const at = (day: string, hm: string) => `${day}T${hm}:00.000Z`;

const policy = (workspaceId: string, id: string, object: "ticket" | "lead"): SlaPolicyRow => ({
  workspaceId,
  id,
  definition: {
    name: `${object} reply`,
    description: "",
    object,
    enabled: true,
    starts: { on: "created" },
    stops: { on: "activity", types: ["email"], by: "anyone" },
    target: { hours: 4 },
    calendar: { of: "workspace" },
    escalations: [],
  },
  version: 1,
  createdAt: at("2026-10-01", "00:00"),
  updatedAt: at("2026-10-01", "00:00"),
  updatedBy: null,
});

/** A clock with its history: each step a kind at an instant (a stop with its outcome). */
type Step = [SlaClockEventKind, string, ("met" | "missed" | "cancelled")?];

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA attainment's read on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    const clockOf = async (workspaceId: string, id: string, policyId: string, recordId: string, steps: Step[]) => {
      const stop = steps.find(([k]) => k === "stopped");
      const row: SlaClockRow = {
        workspaceId,
        id,
        policyId,
        policyVersion: 1,
        recordId,
        phase: stop ? "stopped" : "running",
        plan: { targetMs: 4 * 3_600_000, escalationsAfterMs: [] },
        calendar: { ref: { of: "workspace" }, id: null, name: null },
        consumedMs: 0,
        since: steps[0]?.[1] as string,
        startedAt: steps[0]?.[1] as string,
        stoppedAt: stop ? stop[1] : null,
        fired: steps.some(([k]) => k === "breached") ? ["breach"] : [],
        nextDueAt: null,
        version: steps.length,
      };
      await store.transaction(async (tx) => {
        expect(await tx.sla.insertSlaClock(row)).toBe(true);
        await tx.sla.appendSlaClockHistory(
          steps.map(([k, when, outcome], i) => ({
            workspaceId,
            clockId: id,
            seq: i + 1,
            at: when,
            kind: k,
            detail: outcome ? { outcome } : {},
          })),
        );
      });
    };

    it("counts each target once, on the day it ended, met or missed", async () => {
      const start = at("2026-11-01", "09:00");
      await store.transaction(async (tx) => {
        for (const ws of ["ws-k", "ws-other"])
          await tx.workspaces.insertWorkspace({ id: ws, slug: ws, name: ws, timeZone: "UTC", createdAt: start });
        expect(await tx.sla.insertSlaPolicy(policy("ws-k", "p-ticket", "ticket"))).toBe(true);
        expect(await tx.sla.insertSlaPolicy(policy("ws-k", "p-lead", "lead"))).toBe(true);
        expect(await tx.sla.insertSlaPolicy(policy("ws-other", "p-ticket", "ticket"))).toBe(true);
      });
      // Day D: t1 met; t2 breached (its later missed stop on D+1 is the same target).
      await clockOf("ws-k", "c1", "p-ticket", "t1", [
        ["started", start],
        ["stopped", at(D, "10:00"), "met"],
      ]);
      await clockOf("ws-k", "c2", "p-ticket", "t2", [
        ["started", start],
        ["breached", at(D, "11:00")],
        ["stopped", at(D1, "09:00"), "missed"],
      ]);
      // Day D+1: t3 stopped past its target before any breach fired (missed); t6 and t8 met.
      await clockOf("ws-k", "c3", "p-ticket", "t3", [
        ["started", start],
        ["stopped", at(D1, "08:00"), "missed"],
      ]);
      await clockOf("ws-k", "c6", "p-ticket", "t6", [
        ["started", start],
        ["warned", at(D, "09:00")],
        ["stopped", at(D1, "12:00"), "met"],
      ]);
      await clockOf("ws-k", "c8", "p-ticket", "t8", [
        ["started", start],
        ["stopped", at(D1, "23:59"), "met"],
      ]);
      // None of these: cancelled; breached before the period (stopped in it); still running; met the day after the period;
      // a lead's policy; another workspace's.
      await clockOf("ws-k", "c4", "p-ticket", "t4", [
        ["started", start],
        ["stopped", at(D, "12:00"), "cancelled"],
      ]);
      await clockOf("ws-k", "c5", "p-ticket", "t5", [
        ["started", start],
        ["breached", at("2026-11-05", "10:00")],
        ["stopped", at(D, "13:00"), "missed"],
      ]);
      await clockOf("ws-k", "c7", "p-ticket", "t7", [
        ["started", start],
        ["warned", at(D, "14:00")],
      ]);
      await clockOf("ws-k", "c9", "p-ticket", "t9", [
        ["started", start],
        ["stopped", at("2026-11-12", "00:00"), "met"],
      ]);
      await clockOf("ws-k", "c10", "p-lead", "l1", [
        ["started", start],
        ["stopped", at(D, "10:00"), "met"],
      ]);
      await clockOf("ws-other", "c11", "p-ticket", "t1", [
        ["started", start],
        ["stopped", at(D, "10:00"), "met"],
      ]);

      const period = { workspaceId: "ws-k", object: "ticket", from: at(D, "00:00"), to: at("2026-11-12", "00:00") };
      expect(await store.kpis.kpiSlaOutcomes(period)).toEqual([
        { day: D, met: 1, missed: 1 },
        { day: D1, met: 2, missed: 1 },
      ]);
      // 3 met of 5 ended: 60%; the days 50% and 66.67%.
      expect(await slaAttainment(store.kpis, period)).toEqual({
        value: 60,
        count: 5,
        series: [
          { day: D, value: 50, count: 2 },
          { day: D1, value: 66.67, count: 3 },
        ],
      });
      expect(await store.kpis.kpiSlaOutcomes({ ...period, object: "lead" })).toEqual([{ day: D, met: 1, missed: 0 }]);
      expect(await store.kpis.kpiSlaOutcomes({ ...period, from: at(D1, "00:00") })).toEqual([{ day: D1, met: 2, missed: 1 }]);

      // By owner, as the rollup keeps it: u1 owns t1 (met) and t3 (missed); nobody is nothing.
      const fact = (recordId: string, ownerId: string): RecordFact => ({
        workspaceId: "ws-k",
        recordId,
        object: "ticket",
        createdAt: start,
        ownerId,
        personWrites: 0,
        workflowWrites: 0,
        otherWrites: 0,
        respondedAt: null,
        responseMs: null,
        closedAt: null,
        cycleMs: null,
        wonAt: null,
        companyId: null,
        contactId: null,
        category: null,
        readyAt: null,
      });
      await store.transaction((tx) => tx.kpis.upsertKpiRecords([fact("t1", "u1"), fact("t3", "u1"), fact("t6", "u2")]));
      expect(await slaAttainment(store.kpis, { ...period, ownerIds: ["u1"] })).toMatchObject({ value: 50, count: 2 });
      expect(await slaAttainment(store.kpis, { ...period, ownerIds: ["u1", "u2"] })).toMatchObject({ value: 66.67, count: 3 });
      expect(await slaAttainment(store.kpis, { ...period, ownerIds: [] })).toEqual({ value: null, count: 0, series: [] });
    });
  });
}
