/**
 * `npm run bench:ai` — training a ticket classifier and what its prediction adds to the event path
 * (issue 24; docs/ai.md, docs/benchmarks.md). Per store:
 *
 * - writes `--records` labelled tickets (default 20,000) through the RecordWriter, with the demo's
 *   realistic noisy texts (seed/demo-ticket-texts.ts: many wordings, vague and mixed tickets, one
 *   in ten filed under another category), in batches of 500;
 * - train_s: one training of a model reading subject, description and priority, through the real
 *   service (AiTrainer, as POST …/train starts it, from the start to the job's end: reading the
 *   labelled records page by page, learning, measuring on the held-out fifth, saving the version)
 *   — train_records is what it read;
 * - predict_p99_ms / predict_per_s: the classify step's added cost — `ModelPredictor.predict`, the
 *   call the runtime makes for a classify step (the model's head read from the store, its parsed
 *   parameters from the predictor's cache, the record's words read and scored) — for one record
 *   at a time, one after another, on `--predictions` calls (default 5,000) over new tickets written
 *   like the others but uncategorised, after a warm-up of 1,000 calls. The 99th percentile of the
 *   single calls' times, and calls per second over the whole series; beside them the CPU time
 *   this process spent during each call (predict_cpu_*: what the call costs, not what it waited
 *   while the machine's other work held the cores); then its two parts apart on
 *   the same tickets — the head read alone (head_read_p99_ms) and the scoring alone
 *   (scoring_p99_ms: words read, naive Bayes, reasons; CPU only).
 *
 * - conversion_* and chance_*: a lead conversion model trained on `--leads` closed leads (default
 *   5,000) with their calls, emails and meetings, and what its chance costs a scoring prediction
 *   rule on the event path (`ModelPredictor.chance`: the lead's activities counted by a query,
 *   the features scored) — bench/ai-conversion.ts.
 *
 * Checks (the run fails otherwise): every ticket written; the training read them all; every call
 * predicted (a model on, trained, for ticket category); the accuracy on the new tickets (their
 * triage labels, which the model never saw) beats always answering the training's most common
 * label; the p99 is finite. Options: --store sqlite|postgres|both (default both), --records,
 * --predictions, --quick (600 tickets, 200 calls: what `npm test` runs, for the checks, not the
 * figures). Progress goes to stderr; one JSON line per store on stdout.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { specOf } from "../app/ai/ai-model-schemas.js";
import type { Trained } from "../app/ai/ai-training.js";
import { ModelPredictor } from "../app/ai/model-predictor.js";
import { predictRecord } from "../app/ai/prediction.js";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import { labelledTickets } from "../seed/demo-ticket-texts.js";
import type { StoredRecord } from "../store/ports.js";
import { benchConversion } from "./ai-conversion.js";
import { benchPerStore, log, quantile, round, type Scratch, scratchFor } from "./scratch.js";

const MODEL = "Ticket category";
const BATCH = 500;
/** Calls before measuring: the scoring code compiled, the training's garbage collected. */
const WARMUP = 1_000;
/** New tickets the predictions cycle over (each one written and read back, as the event path has it). */
const FRESH_MAX = 2_000;

interface Options {
  records: number;
  predictions: number;
  leads: number;
}

async function benchStore(name: "sqlite" | "postgres", o: Options) {
  const scratch: Scratch = await scratchFor(name);
  try {
    await scratch.store.migrate();
    const s = buildServices(scratch.store);
    const ws = await s.workspaces.create("ai-bench", "AI bench");
    const ctx = systemContext(ws.id, "bench");

    log(`${name}: writing ${o.records} labelled tickets`);
    const history = labelledTickets(o.records, 2024);
    const w0 = performance.now();
    for (let i = 0; i < history.length; i += BATCH)
      await s.writer.createMany(
        ctx,
        "ticket",
        history.slice(i, i + BATCH).map(({ subject, description, category, priority }) => ({ subject, description, category, priority })),
      );
    log(`  written in ${((performance.now() - w0) / 1000).toFixed(1)} s`);

    await s.aiModels.create(ctx, {
      name: MODEL,
      description: "The bench's ticket classifier: subject, description and priority.",
      object: "ticket",
      target: "category",
      text_fields: ["subject", "description"],
      value_fields: ["priority"],
      threshold: 0.6,
    });
    log(`${name}: training`);
    const t0 = performance.now();
    const job = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, MODEL)).id);
    const trainS = (performance.now() - t0) / 1000;
    if (job.state !== "succeeded") throw new Error(`the training failed: ${job.error}`);
    const trained = await s.aiModels.get(ctx, MODEL);
    const training = trained.training;
    if (!training) throw new Error("the training left no figures");
    if (training.records !== o.records) throw new Error(`the training read ${training.records} of ${o.records} labelled tickets`);
    log(`  ${training.records} records in ${trainS.toFixed(2)} s; held-out accuracy ${training.quality.accuracy}`);
    // On, as a classify step needs it (the gate: 50 labels a category; the quick size passes it too).
    await s.aiModels.update(ctx, MODEL, { enabled: true }, trained.version);

    const freshTickets = labelledTickets(Math.min(o.predictions, FRESH_MAX), 7_777);
    const fresh: StoredRecord[] = [];
    for (let i = 0; i < freshTickets.length; i += BATCH)
      fresh.push(
        ...(await s.writer.createMany(
          ctx,
          "ticket",
          freshTickets.slice(i, i + BATCH).map(({ subject, description, priority }) => ({ subject, description, priority })),
        )),
      );

    const predictor = new ModelPredictor();
    const spec = { model: MODEL, field: "category" };
    const call = async (i: number) => {
      const record = fresh[i % fresh.length];
      if (!record) throw new Error("no ticket to predict");
      const p = await predictor.predict(scratch.store, ws.id, "classify", spec, "ticket", record.data);
      if (!p.ok) throw new Error(`no prediction: ${p.why}`);
      return p.value;
    };
    log(`${name}: ${WARMUP} warm-up calls, then ${o.predictions} measured`);
    for (let i = 0; i < WARMUP; i++) await call(i);
    const times: number[] = [];
    const said: string[] = [];
    const p0 = performance.now();
    const cpuTimes: number[] = [];
    for (let i = 0; i < o.predictions; i++) {
      const u0 = process.cpuUsage();
      const c0 = performance.now();
      const value = await call(i);
      times.push(performance.now() - c0);
      const u = process.cpuUsage(u0);
      cpuTimes.push((u.user + u.system) / 1000);
      if (i < fresh.length) said.push(value);
    }
    const predictS = (performance.now() - p0) / 1000;
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);

    // Its two parts apart, on the same tickets: the head read (a query) and the scoring (CPU only).
    const row = await scratch.store.aiModels.getAiModel(ws.id, MODEL);
    const params = (row?.trained as Trained | null)?.params;
    if (!row || !params) throw new Error("the model has no parameters");
    const headTimes: number[] = [];
    const scoreTimes: number[] = [];
    for (let i = 0; i < o.predictions; i++) {
      const record = fresh[i % fresh.length] as StoredRecord;
      const h0 = performance.now();
      await scratch.store.aiModels.getAiModelHead(ws.id, MODEL);
      const h1 = performance.now();
      predictRecord(params, specOf(row.definition), record.data);
      scoreTimes.push(performance.now() - h1);
      headTimes.push(h1 - h0);
    }
    headTimes.sort((a, b) => a - b);
    scoreTimes.sort((a, b) => a - b);

    const conversion = await benchConversion(s, scratch.store, ctx, predictor, {
      leads: o.leads,
      predictions: o.predictions,
    });

    const right = said.filter((v, i) => v === freshTickets[i]?.category).length;
    const accuracy = right / said.length;
    const baselineLabel = training.quality.baselineLabel;
    const baseline = freshTickets.slice(0, said.length).filter((t) => t.category === baselineLabel).length / said.length;
    const p99 = quantile(times, 0.99);
    if (!(accuracy > baseline)) throw new Error(`accuracy ${accuracy} on new tickets is not above the baseline ${baseline}`);
    if (!Number.isFinite(p99)) throw new Error(`p99 ${p99} is not finite`);
    return {
      bench: "ai",
      train_records: training.records,
      train_s: round(trainS, 2),
      predict_per_s: round(o.predictions / predictS, 0),
      predict_p99_ms: round(p99, 3),
      predict_p50_ms: round(quantile(times, 0.5), 3),
      predict_max_ms: round(times.at(-1) as number, 3),
      predict_cpu_p99_ms: round(quantile(cpuTimes, 0.99), 3),
      predict_cpu_p50_ms: round(quantile(cpuTimes, 0.5), 3),
      head_read_p99_ms: round(quantile(headTimes, 0.99), 3),
      scoring_p99_ms: round(quantile(scoreTimes, 0.99), 3),
      scoring_p50_ms: round(quantile(scoreTimes, 0.5), 3),
      store: name,
      predictions: o.predictions,
      new_tickets: said.length,
      accuracy: round(accuracy, 3),
      baseline: round(baseline, 3),
      baseline_label: baselineLabel,
      held_out_accuracy: training.quality.accuracy,
      ...conversion,
      cpus: cpus().length,
      load: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    await scratch.dispose();
  }
}

benchPerStore(
  { records: { full: 20_000, quick: 600 }, predictions: { full: 5_000, quick: 200 }, leads: { full: 5_000, quick: 450 } },
  (name, sizes) => benchStore(name, sizes),
);
