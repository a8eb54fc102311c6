/**
 * `npm run bench:sla` — SLA milestones firing on time while many clocks run (engineering.md §5;
 * docs/sla.md). In one run per store:
 *
 * - holds `--clocks` running clocks (default 100,000) in `sla_clocks`: `--due` of them (default
 *   1,000) fall due within one window (`--window` s, default 60: "the same minute"), half of them
 *   at their warning and half at their breach; the rest are due days later. The due clocks' records
 *   are real tickets (their events need them); the others name records that are never read;
 * - pause_resume_ms: the mean time of one pause and one resume through the real path — a ticket
 *   update to `pending` (the policy's `pause_when`) and back, each written and then matched by
 *   the worker's matcher pass that pauses or resumes the record's clock, measured over
 *   `--pauses` tickets (default 100) whose clocks started from their `record.created` events;
 * - lateness: the worker runs (its loop sleeps until the next clock falls due, by the database
 *   clock) and fires every due milestone; a milestone's lateness is the instant its history row
 *   was written minus the instant it fell due. p50 and p99 over the due milestones;
 * - fire_per_s and the ceiling: milestones fired per second while a backlog of `--due` clocks is
 *   due at once, against `ceiling_per_s` — the same rows written the same way without the runtime
 *   (each clock's row updated over its version, its history row and its domain event, 200 clocks
 *   per transaction) — and their `ratio`.
 *
 * Checks afterwards: every due milestone fired exactly once (one history row and one event per
 * clock), and no clock that was not due fired. Options: --store sqlite|postgres|both (default
 * both), --clocks, --due, --window, --pauses, --quick (2,000 clocks, 200 due in a 3 s window, 20
 * pauses: what `npm test` runs, for the checks, not the figures). Progress goes to stderr; one
 * JSON line per store on stdout.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import type { ClockPlan } from "../crm/sla/clock.js";
import { MATCHER } from "../runtime/matcher.js";
import type { NewDomainEvent, Store, StoredRecord } from "../store/ports.js";
import type { SlaClockRow } from "../store/sla-ports.js";
import { SqlStore } from "../store/sql/sql-store.js";
import { benchPerStore, DEFAULT_PG_ADMIN_URL, log, postgresScratch, round, type Scratch, sqliteScratch } from "./scratch.js";

const DAY = 86_400_000;
const PLAN: ClockPlan = { targetMs: 2 * DAY, warning: { fraction: 0.5 }, escalationsAfterMs: [] };
const iso = (ms: number) => new Date(ms).toISOString();

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

interface Options {
  clocks: number;
  due: number;
  windowS: number;
  pauses: number;
}

/**
 * Writes the clocks the bench holds, 500 per statement through the SQL store's own handle (the
 * port inserts one clock at a time, after checking none is open: 100,000 of those take minutes on
 * PostgreSQL, and they are the setup, not what is measured). Only a benchmark reaches for it.
 */
async function insertClocks(store: Store, rows: SlaClockRow[]) {
  if (!(store instanceof SqlStore)) throw new Error("the SLA bench needs the SQL store");
  const { db, d } = store;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insertInto("sla_clocks")
      .values(
        chunk.map((c) => ({
          workspace_id: c.workspaceId,
          id: c.id,
          policy_id: c.policyId,
          policy_version: c.policyVersion,
          record_id: c.recordId,
          phase: c.phase,
          plan: d.json({ target_ms: c.plan.targetMs, warning: { fraction: 0.5 }, escalations_after_ms: [] }),
          calendar: d.json(c.calendar),
          consumed_ms: c.consumedMs,
          since: c.since,
          started_at: c.startedAt,
          stopped_at: c.stoppedAt,
          fired: d.json(c.fired),
          next_due_at: c.nextDueAt,
          version: c.version,
          lease_owner: null,
          lease_until: null,
        })),
      )
      .execute();
  }
}

async function benchStore(name: "sqlite" | "postgres", o: Options) {
  const scratch: Scratch =
    name === "postgres" ? await postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL) : await sqliteScratch();
  try {
    const { store } = scratch;
    await store.migrate();
    const s = buildServices(store, undefined, undefined, { worker: { idleMs: 250 } });
    const ws = (await s.workspaces.create("bench", "Bench")).id;
    const ctx = systemContext(ws);
    const policy = await s.slaPolicies.create(ctx, {
      name: "Bench",
      object: "ticket",
      starts: { on: "created" },
      stops: { on: "field_value", field: "status", in: ["resolved"] },
      target: { days: 2 },
      pause_when: { field: "status", op: "eq", value: "pending" },
      warning: { fraction: 0.5 },
    });
    const base = (id: string, recordId: string, since: number, fired: string[], nextDue: number): SlaClockRow => ({
      workspaceId: ws,
      id,
      policyId: policy.id,
      policyVersion: 1,
      recordId,
      phase: "running",
      plan: PLAN,
      calendar: { ref: { of: "workspace" }, id: null, name: null },
      consumedMs: 0,
      since: iso(since),
      startedAt: iso(since),
      stoppedAt: null,
      fired,
      nextDueAt: iso(nextDue),
      version: 1,
    });

    // The due clocks' tickets, written now; their creation events are passed over by the matcher
    // (their clocks are written below, due in the window).
    log(`${name}: ${o.due} tickets for the due clocks…`);
    const dueRecords: StoredRecord[] = [];
    for (let i = 0; i < o.due; i += 500)
      dueRecords.push(
        ...(await s.writer.createMany(
          ctx,
          "ticket",
          Array.from({ length: Math.min(500, o.due - i) }, (_, j) => ({ subject: `Due ${i + j}` })),
          { max: 500 },
        )),
      );
    const last = await store.events.lastEventPosition();
    await store.transaction(async (tx) => {
      await tx.events.lockCursor(MATCHER);
      await tx.events.setCursor(MATCHER, last);
    });

    const others = o.clocks - o.due - o.pauses;
    log(`${name}: ${others} running clocks due days from now…`);
    const t0 = Date.now();
    const farRows: SlaClockRow[] = Array.from({ length: others }, (_, i) => {
      const since = t0 - (i % 1_000) * 60_000;
      return base(`far-${String(i).padStart(7, "0")}`, `phantom-${i}`, since, [], since + DAY);
    });
    const insertStart = performance.now();
    await insertClocks(store, farRows);
    log(`  inserted in ${((performance.now() - insertStart) / 1000).toFixed(1)} s`);

    // Pause and resume through the real path: tickets whose clocks start from their creation.
    log(`${name}: ${o.pauses} pauses and resumes…`);
    const paused = await s.writer.createMany(
      ctx,
      "ticket",
      Array.from({ length: o.pauses }, (_, i) => ({ subject: `Pause ${i}` })),
      { max: 500 },
    );
    await s.worker.drain();
    let pauseMs = 0;
    for (const t of paused) {
      const start = performance.now();
      await s.writer.update(ctx, "ticket", { id: t.id, fields: { status: "pending" } });
      await s.worker.drain();
      await s.writer.update(ctx, "ticket", { id: t.id, fields: { status: "open" } });
      await s.worker.drain();
      pauseMs += performance.now() - start;
    }
    const pausedClocks = await Promise.all(paused.slice(0, 3).map((t) => store.sla.slaClocksOfRecord(ws, t.id)));
    for (const [c] of pausedClocks)
      if (c?.version !== 3 || c.phase !== "running") throw new Error(`check failed: a paused and resumed clock reads ${JSON.stringify(c)}`);

    // The ceiling: the firing's rows written the same way, without the runtime, on clocks not due.
    const ceilingRows = farRows.slice(0, Math.min(farRows.length, o.due));
    const ceilingStart = performance.now();
    for (let i = 0; i < ceilingRows.length; i += 200) {
      const chunk = ceilingRows.slice(i, i + 200);
      await store.transaction(async (tx) => {
        const events: NewDomainEvent[] = [];
        for (const c of chunk) {
          await tx.sla.updateSlaClock({ ...c, fired: ["warning"], version: 2, nextDueAt: iso(t0 + 2 * DAY) }, 1);
          events.push({
            id: `ceiling-${c.id}`,
            workspaceId: ws,
            type: "sla.warning",
            object: "ticket",
            recordId: c.recordId,
            recordVersion: 1,
            actor: { kind: "system", id: "bench" },
            causeId: null,
            changes: [],
            occurredAt: iso(Date.now()),
            depth: 0,
            source: "Bench ceiling",
            detail: { clock_id: c.id },
          });
        }
        await tx.sla.appendSlaClockHistory(
          chunk.map((c) => ({ workspaceId: ws, clockId: c.id, seq: 2, at: iso(Date.now()), kind: "warned" as const, detail: {} })),
        );
        await tx.events.appendEvents(events);
      });
    }
    const ceilingPerS = ceilingRows.length / ((performance.now() - ceilingStart) / 1000);

    // The due clocks: warnings and breaches spread over the window, starting a little ahead.
    const windowStart = Date.now() + 2_000;
    const dueAt = (i: number) => windowStart + Math.floor((i / o.due) * o.windowS * 1000);
    const dueRows = dueRecords.map(
      (r, i) =>
        i % 2 === 0
          ? base(`due-${String(i).padStart(6, "0")}`, r.id, dueAt(i) - DAY, [], dueAt(i)) // the warning, at half of 2 days
          : base(`due-${String(i).padStart(6, "0")}`, r.id, dueAt(i) - 2 * DAY, ["warning"], dueAt(i)), // the breach
    );
    await insertClocks(store, dueRows);
    log(`${name}: ${o.clocks} clocks held; ${o.due} milestones due within ${o.windowS} s; the worker runs…`);
    s.worker.start();
    const deadline = Date.now() + o.windowS * 1000 + 120_000;
    const ids = dueRows.map((c) => c.id);
    let histories = await store.sla.slaClockHistories(ws, ids);
    const firedCount = () => [...histories.values()].filter((h) => h.some((x) => x.kind === "warned" || x.kind === "breached")).length;
    while (firedCount() < o.due && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      histories = await store.sla.slaClockHistories(ws, ids);
    }
    await s.worker.stop();

    // A backlog: the same number due at once, fired as fast as the worker goes.
    const backlogRecords = dueRecords;
    const backlogRows = backlogRecords.map((r, i) =>
      base(`backlog-${String(i).padStart(6, "0")}`, r.id, Date.now() - DAY - 1_000, [], Date.now() - 1_000),
    );
    // The due clocks are open on these records: the backlog's are a second policy's.
    const second = await s.slaPolicies.create(ctx, {
      name: "Bench backlog",
      object: "ticket",
      starts: { on: "field_changed", field: "description" },
      stops: { on: "field_value", field: "status", in: ["resolved"] },
      target: { days: 2 },
      warning: { fraction: 0.5 },
    });
    await insertClocks(
      store,
      backlogRows.map((c) => ({ ...c, policyId: second.id })),
    );
    const backlogStart = performance.now();
    let fired = 0;
    for (let pass = 0; pass < 10_000; pass++) {
      const n = await s.worker.once();
      fired += n;
      if (n === 0) break;
    }
    const firePerS = backlogRows.length / ((performance.now() - backlogStart) / 1000);

    // Checks: each due milestone once, nothing else fired.
    histories = await store.sla.slaClockHistories(ws, ids);
    const late: number[] = [];
    for (const [i, row] of dueRows.entries()) {
      const h = histories.get(row.id) ?? [];
      const firedRows = h.filter((x) => x.kind === "warned" || x.kind === "breached");
      const expected = i % 2 === 0 ? "warned" : "breached";
      if (firedRows.length !== 1 || firedRows[0]?.kind !== expected)
        throw new Error(`check failed: clock ${row.id} fired ${JSON.stringify(firedRows.map((x) => x.kind))}, expected one ${expected}`);
      late.push(Date.parse(firedRows[0].at) - Date.parse(row.nextDueAt ?? ""));
    }
    const events = (await store.events.readEvents(last, 10_000_000, ws)).filter((e) => e.type.startsWith("sla.") && e.source === "Bench");
    if (events.length !== o.due) throw new Error(`check failed: ${events.length} SLA events for ${o.due} due milestones`);
    const open = await store.sla.listOpenSlaClocks({ workspaceId: ws, status: "warning", limit: 10 });
    if (open.some((c) => c.id.startsWith("far-") && c.fired.length > 0 && c.version !== 2))
      throw new Error("check failed: a clock that was not due fired");
    const backlogFired = (
      await store.sla.slaClockHistories(
        ws,
        backlogRows.map((c) => c.id),
      )
    ).size;
    if (backlogFired !== backlogRows.length) throw new Error(`check failed: ${backlogFired} of ${backlogRows.length} backlog clocks fired`);
    late.sort((a, b) => a - b);
    log(`checked: ${o.due} due milestones fired once each; ${fired} work done in the backlog`);
    return {
      bench: "sla",
      store: name,
      clocks: o.clocks,
      due: o.due,
      window_s: o.windowS,
      lateness_p50_ms: Math.round(percentile(late, 50)),
      lateness_p99_ms: Math.round(percentile(late, 99)),
      lateness_max_ms: Math.round(late.at(-1) ?? Number.NaN),
      pause_resume_ms: round(pauseMs / Math.max(1, paused.length), 1),
      fire_per_s: Math.round(firePerS),
      ceiling_per_s: Math.round(ceilingPerS),
      ratio: round(firePerS / ceilingPerS),
      load: round(loadavg()[0] ?? 0, 2),
      cores: cpus().length,
    };
  } finally {
    await scratch.dispose();
  }
}

benchPerStore(
  {
    clocks: { full: 100_000, quick: 2_000 },
    due: { full: 1_000, quick: 200 },
    window: { full: 60, quick: 3 },
    pauses: { full: 100, quick: 20 },
  },
  (name, sizes) => {
    if (sizes.due + sizes.pauses > sizes.clocks) throw new Error("--clocks must be at least --due plus --pauses");
    return benchStore(name, { clocks: sizes.clocks, due: sizes.due, windowS: sizes.window, pauses: sizes.pauses });
  },
);
