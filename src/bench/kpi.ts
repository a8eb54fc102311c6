/**
 * `npm run bench:kpi` — the KPI rollup and the chart queries (issue 22; docs/kpis.md). Per store:
 *
 * - writes `--events` events (default 1,000,000) into the log over 120 days of one workspace,
 *   straight through the event port in transactions of 5,000 (the bench measures the rollup, not
 *   the writer): leads created (a tenth), activities about them (a sixth: calls, emails, meetings,
 *   notes, some by Handoff), and updates by people, workflows, integrations and the system (the
 *   rest), owners among 20 reps; plus a run per lead of one of two workflow versions, 4 % failed;
 * - an ended SLA clock per lead, a fifth breached, its history through the SLA store (kpi-sla.ts),
 *   so that SLA attainment's charts read real history (and its hourly rollup, migration 046);
 * - rollup_events_per_s: the rollup folding the whole log from its cursor at 0 (`catchUp`);
 * - chart_query_p95_ms: `--queries` chart reads (default 200), each one KPI over a random period
 *   of 7 to 120 days — one in four an hourly chart (granularity=hour) of 1 to 7 days —, a third
 *   of them cut by an owner and a sixth by a workflow version — the 95th percentile of their
 *   times, through the KPI service (what a page's chart asks for).
 *
 * Checks afterwards: the cursor is at the last event; the facts hold one row per lead created
 * and per activity; the daily counts, and the hourly ones, sum to the creates and updates
 * written; SLA attainment over the whole history, uncut (the rollup) and cut by every owner (the
 * history), counts the clocks' endings written; a rebuild on the
 * quick sizes gives the same facts. Options: --store sqlite|postgres|both (default both),
 * --events, --queries, --quick (20,000 events, 20 queries: what `npm test` runs, for the checks,
 * not the figures). Progress goes to stderr; one JSON line per store on stdout.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import { KPI_KEYS } from "../engine/kpis/definitions.js";
import type { RunState } from "../engine/run-state.js";
import { KPI_CONSUMER, KpiRollup } from "../runtime/kpis/rollup.js";
import { Random } from "../seed/random.js";
import type { NewDomainEvent } from "../store/ports.js";
import type { RunRow } from "../store/workflow-ports.js";
import { writeSlaHistory } from "./kpi-sla.js";
import { analyzeWithoutAutovacuum, benchPerStore, log, quantile, round, type Scratch, scratchFor } from "./scratch.js";

const DAY = 86_400_000;
const HISTORY_DAYS = 120;
const TX = 5_000;

interface Options {
  events: number;
  queries: number;
  quick: boolean;
}

async function benchStore(name: "sqlite" | "postgres", o: Options) {
  const scratch: Scratch = await scratchFor(name);
  try {
    await scratch.store.migrate();
    const s = buildServices(scratch.store);
    const ws = await s.workspaces.create("kpi-bench", "KPI bench");
    const ctx = systemContext(ws.id, "bench");
    const rnd = new Random(22);
    const reps = Array.from({ length: 20 }, (_, i) => `rep_${String(i).padStart(2, "0")}`);
    // Two drafts (saved, never published: nothing runs) give the runs and the cuts real workflow ids.
    const workflows: string[] = [];
    for (const key of ["speed", "nurture"])
      workflows.push(
        (
          await s.workflows.saveDraft(ctx, {
            key,
            name: key,
            description: "Why it exists: the KPI bench's runs name it.",
            object: "lead",
            trigger: { type: "record_created" },
            start: "tag",
            steps: { tag: { type: "action", action: { type: "update_fields", fields: { status: "working" } } } },
          })
        ).workflow.id,
      );
    const start = Math.floor(Date.now() / DAY) * DAY - HISTORY_DAYS * DAY;
    const step = (HISTORY_DAYS * DAY) / o.events;

    log(`${name}: writing ${o.events} events over ${HISTORY_DAYS} days`);
    const t0 = performance.now();
    const leads: string[] = [];
    const leadsAt: Array<{ id: string; at: number }> = [];
    const written = { leadCreates: 0, activityCreates: 0, updates: 0 };
    let n = 0;
    let runs = 0;
    while (n < o.events) {
      const batch: NewDomainEvent[] = [];
      const runRows: RunRow[] = [];
      for (let i = 0; i < TX && n < o.events; i++, n++) {
        const at = new Date(start + n * step).toISOString();
        const base = { workspaceId: ws.id, causeId: null, occurredAt: at, depth: 0, recordVersion: 1 };
        const roll = rnd.next();
        if (roll < 0.1 || leads.length < 10) {
          const id = `lead_${String(n).padStart(8, "0")}`;
          leads.push(id);
          leadsAt.push({ id, at: start + n * step });
          written.leadCreates += 1;
          batch.push({
            ...base,
            id: `ev_${n}`,
            type: "record.created",
            object: "lead",
            recordId: id,
            actor: rnd.chance(0.6) ? { kind: "integration", id: "web-form" } : { kind: "person", id: reps[rnd.int(0, 19)] as string },
            changes: [
              { field: "last_name", old: null, new: `Lead ${n}` },
              { field: "owner_id", old: null, new: reps[rnd.int(0, 19)] },
            ],
          });
          const version = at < new Date(start + (HISTORY_DAYS / 2) * DAY).toISOString() ? 1 : 2;
          const failed = rnd.chance(0.04);
          const state: RunState = failed
            ? { status: "failed", step: "tag", wait: null, reason: "bench", stepsTaken: 1 }
            : { status: "completed", step: null, wait: null, reason: "bench", stepsTaken: 1 };
          runRows.push({
            workspaceId: ws.id,
            id: `run_${n}`,
            workflowId: workflows[0] as string,
            version,
            recordId: id,
            triggerKey: `ev_${n}`,
            state,
            seq: 2,
            depth: 1,
            createdAt: at,
            updatedAt: at,
            finishedAt: at,
          });
        } else if (roll < 0.27) {
          const types = ["call", "email", "meeting", "note"];
          // Mostly about recent leads: answers come soon after creation.
          const lead = leads[Math.max(0, leads.length - 1 - rnd.int(0, 200))] as string;
          written.activityCreates += 1;
          batch.push({
            ...base,
            id: `ev_${n}`,
            type: "record.created",
            object: "activity",
            recordId: `act_${n}`,
            actor: { kind: "person", id: reps[rnd.int(0, 19)] as string },
            changes: [
              { field: "type", old: null, new: types[rnd.int(0, 3)] },
              { field: "related_id", old: null, new: lead },
              ...(rnd.chance(0.1) ? [{ field: "made_by", old: null, new: "handoff" }] : []),
            ],
          });
        } else {
          const lead = leads[rnd.int(0, leads.length - 1)] as string;
          const r = rnd.next();
          const actor =
            r < 0.45
              ? { kind: "person" as const, id: reps[rnd.int(0, 19)] as string }
              : r < 0.85
                ? { kind: "workflow" as const, id: workflows[rnd.int(0, 1)] as string }
                : r < 0.95
                  ? { kind: "integration" as const, id: "sync" }
                  : { kind: "system" as const, id: "scoring:lead_score@v1" };
          written.updates += 1;
          batch.push({
            ...base,
            id: `ev_${n}`,
            type: "record.updated",
            object: "lead",
            recordId: lead,
            actor,
            changes: rnd.chance(0.1)
              ? [{ field: "owner_id", old: null, new: reps[rnd.int(0, 19)] }]
              : [{ field: "status", old: "new", new: "working" }],
          });
        }
      }
      await scratch.store.transaction(async (tx) => {
        await tx.events.appendEvents(batch);
        if (runRows.length > 0) await tx.runs.insertRuns(runRows);
      });
      runs += runRows.length;
      if (n % 100_000 < TX) log(`  ${n} events`);
    }
    log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${runs} runs)`);

    const rollup = new KpiRollup({ store: scratch.store });
    const r0 = performance.now();
    const folded = await rollup.catchUp();
    const rollupS = (performance.now() - r0) / 1000;
    log(`  rollup: ${folded} events in ${rollupS.toFixed(1)} s`);
    if (folded !== o.events) throw new Error(`the rollup folded ${folded} events, not ${o.events}`);
    const position = await scratch.store.transaction((tx) => tx.events.lockCursor(KPI_CONSUMER));
    if (position !== (await scratch.store.events.lastEventPosition())) throw new Error("the rollup's cursor is not at the last event");
    const facts = [
      ...(await scratch.store.kpis.kpiCohort({
        workspaceId: ws.id,
        object: "lead",
        from: "2000-01-01",
        to: "2100-01-01",
        limit: 10_000_000,
      })),
    ];
    if (facts.length !== written.leadCreates) throw new Error(`${facts.length} lead facts for ${written.leadCreates} leads written`);
    const daily = await scratch.store.kpis.kpiDaily(ws.id, "2000-01-01", "2100-01-01");
    const creates = daily.reduce((a, d) => a + d.creates, 0);
    const updates = daily.reduce((a, d) => a + d.writes, 0);
    if (creates !== written.leadCreates + written.activityCreates || updates !== written.updates)
      throw new Error(`daily counts ${creates} creates / ${updates} writes, written ${JSON.stringify(written)}`);
    // The hourly rollup holds the same counts, hour by hour.
    const hourly = await scratch.store.kpis.kpiHourly(ws.id, "2000-01-01T00", "2100-01-01T00");
    if (hourly.reduce((a, h) => a + h.creates, 0) !== creates || hourly.reduce((a, h) => a + h.writes, 0) !== updates)
      throw new Error("the hourly counts do not sum to the daily counts");
    if (o.quick) {
      const before = JSON.stringify(facts);
      await rollup.rebuild();
      const again = await scratch.store.kpis.kpiCohort({
        workspaceId: ws.id,
        object: "lead",
        from: "2000-01-01",
        to: "2100-01-01",
        limit: 10_000_000,
      });
      if (JSON.stringify(again) !== before) throw new Error("a rebuild gave other facts than the increments");
    }

    // SLA attainment's charts read real history: a clock per lead, its history kept in the rollup.
    const s0 = performance.now();
    const sla = await writeSlaHistory(scratch, ws.id, leadsAt, rnd);
    log(`  SLA: ${leadsAt.length} clocks' history in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    // Over the whole history, the rollup's read (uncut) and the history's (cut by every owner: every lead has one) count what was written.
    const whole = {
      workspaceId: ws.id,
      object: "lead",
      from: new Date(start - DAY).toISOString(),
      to: new Date(start + (HISTORY_DAYS + 2) * DAY).toISOString(),
    };
    for (const [how, days] of [
      ["rollup", await scratch.store.kpis.kpiSlaOutcomes(whole)],
      ["history", await scratch.store.kpis.kpiSlaOutcomes({ ...whole, ownerIds: reps })],
    ] as const) {
      const met = days.reduce((a, d) => a + d.met, 0);
      const missed = days.reduce((a, d) => a + d.missed, 0);
      if (met !== sla.met || missed !== sla.missed)
        throw new Error(`SLA attainment's ${how} read counts ${met} met / ${missed} missed, written ${sla.met} / ${sla.missed}`);
    }

    const analyzed = await analyzeWithoutAutovacuum(name, scratch);
    const times: number[] = [];
    for (let q = 0; q < o.queries; q++) {
      const key = KPI_KEYS[q % KPI_KEYS.length] as string;
      // One read in four is an hourly chart of a week or less (granularity=hour); the rest by day, 7 to 120 days.
      const hourly = q % 4 === 3;
      const days = hourly ? rnd.int(1, 7) : rnd.int(7, HISTORY_DAYS);
      const to = new Date(start + rnd.int(days, HISTORY_DAYS) * DAY).toISOString().slice(0, 10);
      const from = new Date(Date.parse(to) - (days - 1) * DAY).toISOString().slice(0, 10);
      const cut = rnd.next();
      const query: Record<string, string> = { from, to, ...(hourly ? { granularity: "hour" } : {}) };
      if (cut < 0.33) query.owner_id = reps[rnd.int(0, 19)] as string;
      else if (cut < 0.5) Object.assign(query, { workflow: workflows[0], version: String(rnd.int(1, 2)) });
      const q0 = performance.now();
      await s.kpis.one(ctx, key, query);
      const ms = performance.now() - q0;
      times.push(ms);
      if (ms > 200) log(`  slow chart read: ${key} ${JSON.stringify(query)} ${ms.toFixed(0)} ms`);
    }
    times.sort((a, b) => a - b);
    return {
      bench: "kpi",
      store: name,
      events: o.events,
      rollup_events_per_s: round(o.events / rollupS, 0),
      chart_query_p95_ms: round(quantile(times, 0.95), 1),
      chart_query_p50_ms: round(quantile(times, 0.5), 1),
      queries: o.queries,
      leads: written.leadCreates,
      runs,
      sla_clocks: sla.met + sla.missed,
      analyzed_after_load: analyzed,
      cpus: cpus().length,
      load: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    await scratch.dispose();
  }
}

benchPerStore({ events: { full: 1_000_000, quick: 20_000 }, queries: { full: 200, quick: 20 } }, (name, sizes, quick) =>
  benchStore(name, { ...sizes, quick }),
);
