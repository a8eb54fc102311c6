/**
 * bench:ai's conversion part (issue 24; docs/benchmarks.md "AI"): a lead conversion model trained
 * on closed leads with their activities, and what its chance costs a scoring prediction rule on
 * the event path — `ModelPredictor.chance`, the call the scoring hook makes for each model with
 * such a rule: the model's head (kept up to 2 s), its parameters (kept per version), the lead's
 * activities counted by type (a query), the features scored.
 *
 * Leads are written open, given 0–3 calls, emails and meetings each, then closed — converted or
 * disqualified (training counts only the activities a lead had when it reached its outcome);
 * whether one converted follows its source, size and meetings, with noise. Checks: the model
 * trains past its gate (120 conversions), beats always answering "lost" on its held-out leads,
 * and every call gives a chance.
 */
import { performance } from "node:perf_hooks";
import type { ModelPredictor } from "../app/ai/model-predictor.js";
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import { Random } from "../seed/random.js";
import type { Store, StoredRecord } from "../store/ports.js";
import { log, quantile, round } from "./scratch.js";

const MODEL = "Lead conversion";
const BATCH = 500;
const WARMUP = 500;
const SOURCES = ["referral", "webinar", "partner", "event", "web_form", "outbound"];
const PULL: Record<string, number> = { referral: 1, webinar: 0.5, partner: 0.3, event: 0, web_form: -0.2, outbound: -0.8 };

/** Leads with their activities: closed ones (converted or lost) to learn from, open ones to ask about. */
async function writeLeads(s: Services, ctx: CallContext, count: number, seed: number, closed: boolean): Promise<StoredRecord[]> {
  const rnd = new Random(seed);
  const out: StoredRecord[] = [];
  for (let i = 0; i < count; i += BATCH) {
    const plans = Array.from({ length: Math.min(BATCH, count - i) }, () => {
      const source = rnd.pick(SOURCES);
      const size = rnd.pick([5, 20, 80, 400, 2_000]);
      const meetings = rnd.int(0, 3);
      const calls = rnd.int(0, 3);
      const emails = rnd.int(0, 3);
      const pull = (PULL[source] ?? 0) + 0.3 * Math.log10(size) + 0.6 * meetings + (rnd.next() + rnd.next() - 1) * 1.5;
      return { source, size, meetings, calls, emails, converted: pull > 0.9 };
    });
    const leads = await s.writer.createMany(
      ctx,
      "lead",
      plans.map((p, k) => ({
        last_name: `Bench ${seed}-${i + k}`,
        source: p.source,
        employee_count: p.size,
        status: "working",
      })),
    );
    const activities = leads.flatMap((l, k) => {
      const p = plans[k];
      if (!p) return [];
      return [
        ...Array.from({ length: p.meetings }, () => ({ type: "meeting", subject: "Demo", related_id: l.id })),
        ...Array.from({ length: p.calls }, () => ({ type: "call", subject: "Call", related_id: l.id })),
        ...Array.from({ length: p.emails }, () => ({ type: "email", subject: "Email", related_id: l.id })),
      ];
    });
    for (let a = 0; a < activities.length; a += BATCH) await s.writer.createMany(ctx, "activity", activities.slice(a, a + BATCH));
    // Closed after their activities: training counts only what a lead had when it reached its outcome.
    if (closed)
      await s.writer.updateMany(
        ctx,
        "lead",
        leads.map((l, k) => ({ id: l.id, fields: { status: plans[k]?.converted ? "converted" : "unqualified" } })),
      );
    out.push(...leads);
  }
  return out;
}

export async function benchConversion(
  s: Services,
  store: Store,
  ctx: CallContext,
  predictor: ModelPredictor,
  o: { leads: number; predictions: number },
) {
  log(`  conversion: writing ${o.leads} closed leads with their activities`);
  await writeLeads(s, ctx, o.leads, 31, true);
  await s.aiModels.create(ctx, {
    kind: "conversion",
    name: MODEL,
    object: "lead",
    target: "status",
    converted: ["converted"],
    lost: ["unqualified"],
    value_fields: ["source", "employee_count"],
    activity_types: ["call", "email", "meeting"],
    threshold: 0.5,
  });
  const t0 = performance.now();
  const job = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, MODEL)).id);
  const trainS = (performance.now() - t0) / 1000;
  if (job.state !== "succeeded") throw new Error(`the conversion training failed: ${job.error}`);
  const trained = await s.aiModels.get(ctx, MODEL);
  const t = trained.training;
  if (!t?.ready) throw new Error(`the conversion model is not past its gate: ${JSON.stringify(t?.shortfalls)}`);
  if (!(t.quality.accuracy > t.quality.baseline))
    throw new Error(`conversion accuracy ${t.quality.accuracy} is not above always "${t.quality.baselineLabel}" (${t.quality.baseline})`);
  await s.aiModels.update(ctx, MODEL, { enabled: true }, trained.version);

  const open = await writeLeads(s, ctx, Math.min(o.predictions, 2_000), 77, false);
  const call = async (i: number) => {
    const lead = open[i % open.length] as StoredRecord;
    const chance = await predictor.chance(store, ctx.workspaceId, MODEL, lead);
    if (chance === null) throw new Error("the conversion model gave no chance");
    return chance;
  };
  for (let i = 0; i < WARMUP; i++) await call(i);
  const times: number[] = [];
  const p0 = performance.now();
  for (let i = 0; i < o.predictions; i++) {
    const c0 = performance.now();
    await call(i);
    times.push(performance.now() - c0);
  }
  const seconds = (performance.now() - p0) / 1000;
  times.sort((a, b) => a - b);
  return {
    conversion_train_records: t.records,
    conversion_train_s: round(trainS, 2),
    conversion_accuracy: round(t.quality.accuracy, 3),
    conversion_baseline: round(t.quality.baseline, 3),
    chance_per_s: round(o.predictions / seconds, 0),
    chance_p99_ms: round(quantile(times, 0.99), 3),
    chance_p50_ms: round(quantile(times, 0.5), 3),
  };
}
