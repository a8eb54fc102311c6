/**
 * `npm run bench:scoring` — lead scoring's two costs (issue 21; docs/scoring.md; engineering.md §5).
 * In one run per store, on a scratch database:
 *
 * - event_overhead_pct: the same event workload — `--events` leads created through the
 *   RecordWriter by `--clients` concurrent callers, each lead with an `email_opened` and a
 *   `meeting` activity about it, then the worker drained (the matcher and its event hooks) — with
 *   the bench's model enabled and switched off, in alternating rounds (off, on, off, on) so that a
 *   drift of the machine hits both alike. The extra time per lead with the model on, as a
 *   percentage of the time without it. Runs first, on the nearly empty store: the bulk writes
 *   below leave their events unmatched (the rescore does not need them matched);
 * - rescore_per_s: leads written in bulk up to `--records` (default 100,000), one in four with an
 *   activity about it; then a new version of the model is published and the background rescore
 *   (`services.rescorer`, as the loop beside the worker runs it: 250 records a transaction) is
 *   timed from the publish to `done`. Records / seconds.
 *
 * Checks (the run fails otherwise): every lead written in an "on" round has a score state from the
 * event path with its fit and engagement points and a ledger row per fit rule held and per
 * activity; no lead of an "off" round has a `fit` or `engagement` ledger row; the rescore is `done`
 * with every lead gone through, every lead's state is at the new version, and for a sample of 200
 * leads the ledger's (after − before) sum to the stored total. Options: --store
 * sqlite|postgres|both (default both), --records, --events (leads a round, default 1,000),
 * --clients (default 4), --quick (2,000 records, rounds of 10 leads: what `npm test` runs, for the
 * checks, not the figures). Progress goes to
 * stderr; one JSON line per store on stdout.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { systemContext } from "../app/context.js";
import { buildServices, type Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";
import { SqlStore } from "../store/sql/sql-store.js";
import { benchPerStore, log, round, type Scratch, scratchFor } from "./scratch.js";
import { leadInput } from "./workload.js";

interface Options {
  records: number;
  events: number;
  clients: number;
}

const MODEL_KEY = "bench_score";
/** Every lead has an email, so the `reachable` fit rule holds for all of them and every lead gets a state. */
const definition = (v: 1 | 2) => ({
  key: MODEL_KEY,
  name: "Bench score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [
      {
        key: "profile",
        label: "Profile",
        cap: 40,
        rules: [
          { key: "reachable", label: "Has an email", when: { field: "email", op: "is_set" }, points: v === 1 ? 10 : 12 },
          { key: "germany", label: "Germany", when: { field: "country", op: "eq", value: "DE" }, points: 15 },
        ],
      },
    ],
  },
  engagement: {
    groups: [
      {
        key: "email",
        label: "Email",
        cap: 30,
        rules: [{ key: "opened", label: "Opened an email", on: { activity: ["email_opened"] }, points: 5 }],
      },
      {
        key: "meetings",
        label: "Meetings",
        rules: [{ key: "held", label: "Meeting held", on: { activity: ["meeting"] }, points: v === 1 ? 15 : 20 }],
      },
    ],
    decay: { half_life_days: 14 },
  },
  total_cap: 100,
});

async function benchStore(name: "sqlite" | "postgres", o: Options) {
  const scratch: Scratch = await scratchFor(name);
  try {
    await scratch.store.migrate();
    if (!(scratch.store instanceof SqlStore)) throw new Error("the scoring bench needs the SQL store");
    const { db } = scratch.store;
    const s: Services = buildServices(scratch.store);
    const ws = await s.workspaces.create("scoring-bench", "Scoring bench");
    const ctx = systemContext(ws.id, "bench");
    const owner = await s.writer.create(ctx, "user", { name: "Olive Owner", email: "olive@bench.example", role: "rep" });
    let leads = 0;

    // The model exists from the start (its first rescore goes through no records).
    await s.scoring.create(ctx, { definition: definition(1) });
    await s.rescorer.drain();

    // --- event_overhead_pct: the same workload with the model on and off, alternating.
    const one = async (made: string[]) => {
      const lead = await s.writer.create(ctx, "lead", leadInput(leads++, owner.id));
      await s.writer.create(ctx, "activity", { type: "email_opened", subject: "Opened: hello", related_id: lead.id });
      await s.writer.create(ctx, "activity", { type: "meeting", subject: "Intro call", related_id: lead.id });
      made.push(lead.id);
    };
    const round_ = async (enabled: boolean) => {
      await s.scoring.setEnabled(ctx, MODEL_KEY, { enabled });
      // Switching on queues a rescore of what exists; it is not what this figure measures.
      if (enabled) await s.rescorer.drain();
      const made: string[] = [];
      const t0 = performance.now();
      let launched = 0;
      await Promise.all(
        Array.from({ length: Math.min(o.clients, o.events) }, async () => {
          while (launched < o.events) {
            launched++;
            await one(made);
          }
        }),
      );
      await s.worker.drain(1_000_000);
      const seconds = (performance.now() - t0) / 1000;
      log(`  scoring ${enabled ? "on " : "off"}: ${o.events} leads + ${2 * o.events} activities in ${seconds.toFixed(2)} s`);
      return { made, seconds };
    };
    log(`${name}: event path, ${o.events} leads a round, ${o.clients} clients`);
    const time = { on: 0, off: 0 };
    const madeOn: string[] = [];
    const madeOff: string[] = [];
    for (let r = 0; r < 2; r++)
      for (const enabled of [false, true]) {
        const { made, seconds } = await round_(enabled);
        time[enabled ? "on" : "off"] += seconds;
        (enabled ? madeOn : madeOff).push(...made);
      }
    // Each lead of an "on" round: fit 10 (has an email; 25 in Germany) + engagement 5 + 15 from its
    // activities, written by the event path: a ledger row per fit rule held and per activity. A lead of an "off" round has no event-path ledger row
    // (the rescore queued by switching the model on again scores it: a `rescore` row).
    const eventRows = async (id: string) => {
      const rows = await s.store.scores.scoreLedger({ workspaceId: ws.id, recordId: id, limit: 100 });
      return { fit: rows.filter((l) => l.kind === "fit").length, engagement: rows.filter((l) => l.kind === "engagement").length };
    };
    for (const id of madeOn) {
      const state = (await s.store.scores.scoreStatesOf(ws.id, id))[0];
      const fit = state?.fit ?? -1;
      if (state?.version !== 1 || (fit !== 10 && fit !== 25) || Math.abs(state.engagement - 20) > 0.01)
        throw new Error(`lead ${id} of an "on" round has ${state ? JSON.stringify(state) : "no score state"}`);
      const rows = await eventRows(id);
      if (rows.fit !== (fit === 25 ? 2 : 1) || rows.engagement !== 2)
        throw new Error(`lead ${id} of an "on" round has ${rows.fit} fit and ${rows.engagement} engagement ledger rows`);
    }
    for (const id of madeOff) {
      const rows = await eventRows(id);
      if (rows.fit + rows.engagement > 0) throw new Error(`lead ${id} was scored on the event path while the model was off`);
    }
    const overheadPct = (time.on / time.off - 1) * 100;
    log(`  overhead: ${overheadPct.toFixed(1)} % (on ${time.on.toFixed(2)} s, off ${time.off.toFixed(2)} s)`);

    // --- rescore_per_s: leads up to `records`, one in four with an activity, then a new version.
    await s.scoring.setEnabled(ctx, MODEL_KEY, { enabled: true });
    await s.rescorer.drain();
    const bulk = Math.max(0, o.records - leads);
    log(`  writing ${bulk} leads and ${Math.ceil(bulk / 4)} activities`);
    const t1 = performance.now();
    for (let i = 0; i < bulk; i += 5_000) {
      const rows = Array.from({ length: Math.min(5_000, bulk - i) }, () => leadInput(leads++, owner.id));
      const written: StoredRecord[] = await s.writer.createMany(ctx, "lead", rows, { max: 5_000 });
      const activities = written
        .filter((_, k) => (i + k) % 4 === 0)
        .map((r, k) => ({ type: k % 2 === 0 ? "email_opened" : "meeting", subject: "Bench", related_id: r.id }));
      if (activities.length > 0) await s.writer.createMany(ctx, "activity", activities, { max: 5_000 });
    }
    log(`  written in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const stored = await s.store.records.countRecords(ws.id, "lead");
    if (stored !== o.records && bulk > 0) throw new Error(`${o.records} leads should be stored, not ${stored}`);

    const t2 = performance.now();
    await s.scoring.publish(ctx, MODEL_KEY, { definition: definition(2), note: "bench" });
    await s.rescorer.drain();
    const rescoreS = (performance.now() - t2) / 1000;
    const status = await s.scoring.latestRescore(ctx, MODEL_KEY);
    log(`  rescore of ${status.total} leads: ${rescoreS.toFixed(1)} s, ${status.changed} changed, ${status.state}`);
    if (status.state !== "done" || status.version !== 2 || status.done !== stored)
      throw new Error(`the rescore ended ${status.state} at ${status.done} of ${stored} leads (version ${status.version})`);
    const model = await s.store.scoring.getScoreModel(ws.id, MODEL_KEY);
    if (!model) throw new Error("the model is gone");
    const atV2 = await db
      .selectFrom("score_states")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("workspace_id", "=", ws.id)
      .where("model_id", "=", model.id)
      .where("version", "=", 2)
      .executeTakeFirstOrThrow();
    if (Number(atV2.n) !== stored) throw new Error(`${stored} leads should have a state at version 2, not ${atV2.n}`);
    // The ledger sums to the stored total, for a sample spread over the id range (the event path's leads among them).
    const sample = await db
      .selectFrom("score_states")
      .select(["record_id", "total"])
      .where("workspace_id", "=", ws.id)
      .where("model_id", "=", model.id)
      .orderBy("record_id")
      .execute();
    const step = Math.max(1, Math.floor(sample.length / 200));
    let checked = 0;
    for (let k = 0; k < sample.length; k += step) {
      const row = sample[k] as { record_id: string; total: number };
      const ledger = await s.store.scores.scoreLedger({ workspaceId: ws.id, recordId: row.record_id, modelId: model.id, limit: 10_000 });
      const sum = ledger.reduce((acc, l) => acc + (l.after - l.before), 0);
      if (Math.abs(sum - Number(row.total)) > 1e-6)
        throw new Error(`lead ${row.record_id}: the ledger sums to ${sum}, the state holds ${row.total}`);
      checked++;
    }
    log(`  ledger checked for ${checked} leads`);
    await s.worker.stop();
    return {
      bench: "scoring",
      store: name,
      records: stored,
      rescore_per_s: round(stored / rescoreS, 1),
      rescore_s: round(rescoreS, 2),
      rescore_changed: status.changed,
      event_overhead_pct: round(overheadPct, 1),
      events_per_round: o.events,
      seconds_on: round(time.on, 2),
      seconds_off: round(time.off, 2),
      ledger_checked: checked,
      clients: o.clients,
      cpus: cpus().length,
      load: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    await scratch.dispose();
  }
}

benchPerStore(
  { records: { full: 100_000, quick: 2_000 }, events: { full: 1_000, quick: 10 }, clients: { full: 4, quick: 2 } },
  (name, sizes) => benchStore(name, sizes),
);
