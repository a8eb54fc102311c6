/**
 * SLA attainment's hourly rollup (migration 046; docs/kpis.md "How the figures are kept") on SQLite
 * and a real PostgreSQL: random clocks — met, stopped past the target before a breach, breached
 * and left running, breached then stopped, cancelled (before or after a breach), still running —
 * written through the SLA store as the runtime writes them (the clock, then its history in one to
 * three transactions, in a random order across clocks), a policy sometimes deleted with its
 * stopped clocks. For random periods on whole hours, by day and by hour, the rollup's read (no
 * cut) equals the history's read (the same query cut by a workflow nobody ran: every clock) and
 * both equal the endings counted here from what was written. The migration's backfill, run over
 * the same history on an emptied table, gives the rows kept live; and endings of one policy and
 * hour written by concurrent transactions all count.
 */
import fc from "fast-check";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlaOutcomeDay } from "../../src/store/kpi-ports.js";
import { backfillKpiSlaHourly } from "../../src/store/migrations/046_kpi_sla_hourly.js";
import type { SlaClockEvent, SlaClockEventKind, SlaClockRow, SlaPolicyRow } from "../../src/store/sla-ports.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const BASE = Date.parse("2026-11-10T00:00:00.000Z");
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The history spans 4 days and a bit: periods cross days, and hours with several endings. */
const SPAN_HOURS = 100;
const iso = (ms: number) => new Date(ms).toISOString();

const policy = (workspaceId: string, id: string, object: string): SlaPolicyRow => ({
  workspaceId,
  id,
  definition: {
    name: `${id} reply`,
    description: "",
    object: object as "ticket",
    enabled: true,
    starts: { on: "created" },
    stops: { on: "activity", types: ["email"], by: "anyone" },
    target: { hours: 4 },
    calendar: { of: "workspace" },
    escalations: [],
  },
  version: 1,
  createdAt: iso(BASE - 30 * 24 * HOUR),
  updatedAt: iso(BASE - 30 * 24 * HOUR),
  updatedBy: null,
});

/** What became of a clock. */
type Fate = "met" | "missed_stop" | "breached" | "breached_stopped" | "cancelled" | "breached_cancelled" | "running";
const FATES: Fate[] = ["met", "missed_stop", "breached", "breached_stopped", "cancelled", "breached_cancelled", "running"];
const STOPPED: Fate[] = ["met", "missed_stop", "breached_stopped", "cancelled", "breached_cancelled"];

/** Policies: three of tickets (p-del may be deleted), one of leads. */
const POLICIES = [
  { id: "p-a", object: "ticket" },
  { id: "p-b", object: "ticket" },
  { id: "p-lead", object: "lead" },
  { id: "p-del", object: "ticket" },
];

const minuteArb = fc.oneof(
  fc.integer({ min: 0, max: SPAN_HOURS * 60 - 1 }),
  // On the hour exactly: the boundary belongs to the hour it starts.
  fc.integer({ min: 0, max: SPAN_HOURS - 1 }).map((h) => h * 60),
);

const clockArb = fc.record({
  policy: fc.integer({ min: 0, max: POLICIES.length - 1 }),
  fate: fc.constantFrom(...FATES),
  // Three instants, sorted: started, breached, stopped.
  minutes: fc.array(minuteArb, { minLength: 3, maxLength: 3 }).map((m) => [...m].sort((a, b) => a - b)),
  // How the history is split into transactions: 1 = one append; 2 = started, then the rest; 3 = each apart.
  split: fc.integer({ min: 1, max: 3 }),
  seconds: fc.integer({ min: 0, max: 59_999 }),
});

const scenarioArb = fc.record({
  clocks: fc.array(clockArb, { minLength: 1, maxLength: 25 }),
  // A shuffle key per append, so that clocks' transactions interleave.
  order: fc.array(fc.integer(), { minLength: 75, maxLength: 75 }),
  deletePolicy: fc.boolean(),
  periods: fc.array(fc.record({ from: fc.integer({ min: -2, max: SPAN_HOURS }), hours: fc.integer({ min: 1, max: SPAN_HOURS + 4 }) }), {
    minLength: 3,
    maxLength: 3,
  }),
});

type Clock = typeof clockArb extends fc.Arbitrary<infer T> ? T : never;

/** The clock's history as the runtime writes it. */
function historyOf(workspaceId: string, id: string, c: Clock): SlaClockEvent[] {
  const [m0, m1, m2] = c.minutes as [number, number, number];
  const t = (m: number) => iso(BASE + m * MINUTE + c.seconds);
  const steps: Array<[SlaClockEventKind, string, Record<string, unknown>]> = [["started", t(m0), {}]];
  if (c.fate === "breached" || c.fate === "breached_stopped" || c.fate === "breached_cancelled")
    steps.push(["warned", t(m0), {}], ["breached", t(m1), { level: 1 }]);
  if (c.fate === "met") steps.push(["stopped", t(m2), { outcome: "met" }]);
  if (c.fate === "missed_stop" || c.fate === "breached_stopped") steps.push(["stopped", t(m2), { outcome: "missed" }]);
  if (c.fate === "cancelled" || c.fate === "breached_cancelled") steps.push(["stopped", t(m2), { outcome: "cancelled" }]);
  return steps.map(([kind, at, detail], i) => ({ workspaceId, clockId: id, seq: i + 1, at, kind, detail }));
}

/** The endings, counted here: met at a met stop; missed at the breach, or at a missed stop of a clock never breached. */
function endingsOf(history: SlaClockEvent[]): Array<{ at: string; met: boolean }> {
  const breached = history.some((e) => e.kind === "breached");
  const out: Array<{ at: string; met: boolean }> = [];
  for (const e of history) {
    if (e.kind === "breached") out.push({ at: e.at, met: false });
    if (e.kind === "stopped" && e.detail.outcome === "met") out.push({ at: e.at, met: true });
    if (e.kind === "stopped" && e.detail.outcome === "missed" && !breached) out.push({ at: e.at, met: false });
  }
  return out;
}

function bucketed(endings: Array<{ at: string; met: boolean }>, from: string, to: string, hour: boolean): SlaOutcomeDay[] {
  const by = new Map<string, SlaOutcomeDay>();
  for (const e of endings) {
    if (e.at < from || e.at >= to) continue;
    const key = e.at.slice(0, hour ? 13 : 10);
    const cell = by.get(key) ?? { day: key, met: 0, missed: 0 };
    by.set(key, cell);
    if (e.met) cell.met++;
    else cell.missed++;
  }
  return [...by.values()].sort((a, b) => a.day.localeCompare(b.day));
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA attainment's hourly rollup on ${kind.name}`, () => {
    let t: TestStore;
    let store: SqlStore;
    beforeAll(async () => {
      t = await kind.open();
      if (!(t.store instanceof SqlStore)) throw new Error("the test stores are SQL stores");
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    let run = 0;
    const newWorkspace = async () => {
      const ws = `ws-${++run}`;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: ws, name: ws, timeZone: "UTC", createdAt: iso(BASE - 40 * 24 * HOUR) });
        for (const p of POLICIES) expect(await tx.sla.insertSlaPolicy(policy(ws, p.id, p.object))).toBe(true);
      });
      return ws;
    };

    const hourlyRows = async () =>
      (await store.db.selectFrom("kpi_sla_hourly").selectAll().orderBy("workspace_id").orderBy("policy_id").orderBy("hour").execute()).map(
        (r) => ({ ...r, met: Number(r.met), missed: Number(r.missed) }),
      );

    it("reads from the rollup what the history gives, by day and by hour, for random periods", { timeout: 240_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (s) => {
          const ws = await newWorkspace();
          // p-del keeps only stopped clocks, so that it can be deleted (an open clock forbids it).
          const clocks = s.clocks.map((c, i) => {
            const p = POLICIES[c.policy] as (typeof POLICIES)[number];
            const fate = p.id === "p-del" && !STOPPED.includes(c.fate) ? "met" : c.fate;
            const clock = { ...c, fate };
            const id = `c${i}`;
            return { id, policy: p, clock, history: historyOf(ws, id, clock) };
          });
          // Each clock's appends (1–3, in its own order), the clocks' appends interleaved.
          const appends: Array<{ key: number; clock: number; part: number; events: SlaClockEvent[] }> = [];
          clocks.forEach((c, i) => {
            const h = c.history;
            const parts = c.clock.split === 1 ? [h] : c.clock.split === 2 ? [h.slice(0, 1), h.slice(1)] : h.map((e) => [e]);
            parts.forEach((events, part) => {
              if (events.length > 0) appends.push({ key: s.order[appends.length % s.order.length] as number, clock: i, part, events });
            });
          });
          appends.sort((a, b) => a.key - b.key || a.clock - b.clock);
          // A clock's parts stay in order: re-sort each clock's parts among the slots they took.
          const slots = new Map<number, number[]>();
          for (const [i, a] of appends.entries()) slots.set(a.clock, [...(slots.get(a.clock) ?? []), i]);
          const ordered = [...appends];
          for (const [clock, idx] of slots) {
            const parts = appends.filter((a) => a.clock === clock).sort((a, b) => a.part - b.part);
            idx.forEach((slot, k) => {
              ordered[slot] = parts[k] as (typeof appends)[number];
            });
          }
          const inserted = new Set<number>();
          for (const a of ordered) {
            const c = clocks[a.clock] as (typeof clocks)[number];
            await store.transaction(async (tx) => {
              if (!inserted.has(a.clock)) {
                inserted.add(a.clock);
                const stop = c.history.find((e) => e.kind === "stopped");
                const row: SlaClockRow = {
                  workspaceId: ws,
                  id: c.id,
                  policyId: c.policy.id,
                  policyVersion: 1,
                  recordId: `r${a.clock}`,
                  phase: stop ? "stopped" : "running",
                  plan: { targetMs: 4 * HOUR, escalationsAfterMs: [] },
                  calendar: { ref: { of: "workspace" }, id: null, name: null },
                  consumedMs: 0,
                  since: c.history[0]?.at as string,
                  startedAt: c.history[0]?.at as string,
                  stoppedAt: stop ? stop.at : null,
                  fired: [],
                  nextDueAt: null,
                  version: 1,
                };
                expect(await tx.sla.insertSlaClock(row)).toBe(true);
              }
              await tx.sla.appendSlaClockHistory(a.events);
            });
          }
          let kept = clocks;
          if (s.deletePolicy) {
            const forgotten = await store.transaction((tx) => tx.sla.deleteSlaPolicy(ws, "p-del"));
            expect(forgotten).toBe(clocks.filter((c) => c.policy.id === "p-del").length);
            kept = clocks.filter((c) => c.policy.id !== "p-del");
            // Its hours go with it: nothing left to count should an id come back.
            expect((await hourlyRows()).filter((r) => r.workspace_id === ws && r.policy_id === "p-del")).toEqual([]);
          }

          for (const object of ["ticket", "lead"]) {
            const endings = kept.filter((c) => c.policy.object === object).flatMap((c) => endingsOf(c.history));
            for (const p of s.periods) {
              const from = iso(BASE + p.from * HOUR);
              const to = iso(BASE + (p.from + p.hours) * HOUR);
              for (const bucket of ["day", "hour"] as const) {
                const q = { workspaceId: ws, object, from, to, bucket };
                const expected = bucketed(endings, from, to, bucket === "hour");
                expect(await store.kpis.kpiSlaOutcomes(q)).toEqual(expected);
                expect(await store.kpis.kpiSlaOutcomes({ ...q, workflow: { id: "nobody-ran", handled: false } })).toEqual(expected);
              }
            }
          }
        }),
        { numRuns: kind.name === "postgres" ? 12 : 25, seed: 22046 },
      );

      // The migration's backfill over the same history gives the rows kept live.
      const live = await hourlyRows();
      expect(live.length).toBeGreaterThan(0);
      await store.db.deleteFrom("kpi_sla_hourly").execute();
      await backfillKpiSlaHourly(store.db as unknown as Kysely<unknown>, store.dialect);
      expect(await hourlyRows()).toEqual(live);
    });

    it("counts every ending of concurrent transactions in one policy's hour", async () => {
      const ws = await newWorkspace();
      const n = 16;
      const at = iso(BASE + 5 * HOUR + 17 * MINUTE);
      await store.transaction(async (tx) => {
        for (let i = 0; i < n; i++)
          expect(
            await tx.sla.insertSlaClock({
              workspaceId: ws,
              id: `k${i}`,
              policyId: "p-a",
              policyVersion: 1,
              recordId: `k${i}`,
              phase: "running",
              plan: { targetMs: 4 * HOUR, escalationsAfterMs: [] },
              calendar: { ref: { of: "workspace" }, id: null, name: null },
              consumedMs: 0,
              since: iso(BASE),
              startedAt: iso(BASE),
              stoppedAt: null,
              fired: [],
              nextDueAt: null,
              version: 1,
            }),
          ).toBe(true);
      });
      // Each transaction ends one target in the same cell: the first inserts it, the others add.
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store.transaction((tx) =>
            tx.sla.appendSlaClockHistory([
              {
                workspaceId: ws,
                clockId: `k${i}`,
                seq: 1,
                at,
                kind: i % 4 === 0 ? "breached" : "stopped",
                detail: i % 4 === 0 ? {} : { outcome: "met" },
              },
            ]),
          ),
        ),
      );
      const q = { workspaceId: ws, object: "ticket", from: iso(BASE), to: iso(BASE + 24 * HOUR), bucket: "hour" as const };
      expect(await store.kpis.kpiSlaOutcomes(q)).toEqual([{ day: at.slice(0, 13), met: 12, missed: 4 }]);
    });
  });
}
