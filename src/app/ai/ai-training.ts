/**
 * Training a classifier on the workspace's labelled records (docs/ai.md): the records whose target
 * has a value are the labels; one in five (by id) is held out to measure quality honestly; the
 * model is trained on the rest. What training leaves is stored on the model (`trained`).
 */
import { type LogisticModel, logisticTrainer, predictLogistic } from "../../engine/ai/logistic.js";
import { type NaiveBayesModel, predictNaiveBayes, trainNaiveBayes } from "../../engine/ai/naive-bayes.js";
import { isHeldOut, labelShortfalls, majorityLabel, measureQuality, type Quality, type Shortfall } from "../../engine/ai/quality.js";
import type { AiModelSpec } from "./ai-model-schemas.js";
import { type ActivityCounts, conversionFeatures } from "./conversion-features.js";
import { recordFeatures } from "./ticket-features.js";

/** Labels a class needs before the model may be turned on (docs/ai.md, "The gate"). */
export const LABELS_PER_CLASS = 50;
/** A conversion model's gate: conversions are the rarer, telling outcome (docs/ai.md "Conversion models"). */
export const CONVERSION_GATE = { converted: 120, lost: 50 } as const;

export interface Trained {
  trained_at: string;
  /** Labelled records read; of them, held out. */
  records: number;
  held_out: number;
  label_counts: Record<string, number>;
  quality: Quality;
  ready: boolean;
  shortfalls: Shortfall[];
  /** The model version this training is (044); absent on trainings saved before versions were kept. */
  model_version?: number;
  /** The labelled records learned from: the first and last one's created_at, and how many (044). */
  data?: TrainingWindow;
  params: NaiveBayesModel | LogisticModel;
}

export interface TrainingWindow {
  first_created_at: string | null;
  last_created_at: string | null;
  records: number;
}

export interface Labelled {
  id: string;
  createdAt?: string;
  data: Readonly<Record<string, unknown>>;
  /** Conversion models: the record's activities by type — those it had when it reached its outcome (ai-trainer.ts). */
  activities?: ActivityCounts;
}

export type TrainingOutcome = { ok: true; trained: Trained } | { ok: false; reason: string };

export function labelOf(data: Readonly<Record<string, unknown>>, target: string): string | undefined {
  const v = data[target];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Records whose words are read between two looks at the clock: the event loop is never held long. */
const CHUNK = 250;

/**
 * Reports a training's progress within a phase (0–1) and lets the caller breathe: it may yield to
 * the event loop, save the progress, or throw to stop the training.
 */
export type TrainingStep = (phase: "learning" | "measuring", fraction: number) => Promise<void>;

/**
 * Trains on the labelled records — their words read and the held-out ones measured in chunks of
 * CHUNK records, with `step` called between chunks.
 */
export async function trainClassifier(
  records: readonly Labelled[],
  spec: { target: string; text_fields: readonly string[]; value_fields: readonly string[] },
  now: string,
  step: TrainingStep,
): Promise<TrainingOutcome> {
  const rows: Array<{ id: string; label: string; features: string[] }> = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Labelled;
    const label = labelOf(r.data, spec.target);
    if (label !== undefined) rows.push({ id: r.id, label, features: recordFeatures(r.data, spec.text_fields, spec.value_fields) });
    if ((i + 1) % CHUNK === 0) await step("learning", ((i + 1) / records.length) * 0.9);
  }
  if (rows.length === 0) return { ok: false, reason: `no record has a value in "${spec.target}" to learn from` };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  if (counts.size < 2) return { ok: false, reason: `every labelled record says "${rows[0]?.label}": there is nothing to tell apart` };
  const train = rows.filter((r) => !isHeldOut(r.id));
  const test = rows.filter((r) => isHeldOut(r.id));
  if (train.length === 0 || test.length === 0)
    return { ok: false, reason: `${rows.length} labelled records are too few to train on some and hold out others` };
  const params = trainNaiveBayes(train.map((r) => ({ features: r.features, label: r.label })));
  await step("learning", 1);
  return measured(
    rows,
    train,
    test,
    params.classes,
    (r) => predictNaiveBayes(params, r.features).label,
    LABELS_PER_CLASS,
    params,
    now,
    step,
  );
}

/** A conversion model's label of a record: converted, lost, or none while it is still open. */
export function outcomeOf(data: Readonly<Record<string, unknown>>, spec: Pick<AiModelSpec, "target" | "converted" | "lost">) {
  const v = data[spec.target];
  if (typeof v !== "string") return undefined;
  if (spec.converted.includes(v)) return "converted" as const;
  if (spec.lost.includes(v)) return "lost" as const;
  return undefined;
}

/** Epochs of logistic regression between two looks at the clock. */
const EPOCHS_PER_STEP = 10;

/**
 * Trains a conversion model (logistic regression) on the records that converted or were lost:
 * held out and measured like a classifier, a record predicted to convert when its chance is at
 * or above the model's threshold. The gate wants CONVERSION_GATE of each outcome.
 */
export async function trainConversion(
  records: readonly Labelled[],
  spec: Pick<AiModelSpec, "target" | "converted" | "lost" | "text_fields" | "value_fields" | "activity_types" | "threshold">,
  now: string,
  step: TrainingStep,
): Promise<TrainingOutcome> {
  const rows: Array<{ id: string; label: "converted" | "lost"; features: Record<string, number> }> = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Labelled;
    const label = outcomeOf(r.data, spec);
    if (label !== undefined) rows.push({ id: r.id, label, features: conversionFeatures(r.data, spec, r.activities ?? {}) });
    if ((i + 1) % CHUNK === 0) await step("learning", ((i + 1) / records.length) * 0.2);
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  if (!counts.has("converted"))
    return { ok: false, reason: `no record's ${spec.target} is ${spec.converted.join(" or ")}: nothing converted to learn from` };
  if (!counts.has("lost"))
    return { ok: false, reason: `no record's ${spec.target} is ${spec.lost.join(" or ")}: nothing lost to learn from` };
  const train = rows.filter((r) => !isHeldOut(r.id));
  const test = rows.filter((r) => isHeldOut(r.id));
  if (train.length === 0 || test.length === 0)
    return { ok: false, reason: `${rows.length} records with an outcome are too few to train on some and hold out others` };
  const trainer = logisticTrainer(train.map((r) => ({ features: r.features, label: r.label === "converted" ? 1 : 0 })));
  const epochs = trainer.remaining();
  while (trainer.remaining() > 0) {
    trainer.run(EPOCHS_PER_STEP);
    await step("learning", 0.2 + 0.8 * (1 - trainer.remaining() / epochs));
  }
  const params = trainer.model();
  const converts = (r: (typeof rows)[number]) => predictLogistic(params, r.features).probability >= spec.threshold;
  return measured(
    rows,
    train,
    test,
    ["converted", "lost"],
    (r) => (converts(r) ? "converted" : "lost"),
    CONVERSION_GATE,
    params,
    now,
    step,
  );
}

/**
 * What both learners end with: the held-out rows predicted in chunks of CHUNK and measured
 * against always answering the training's commonest label, the gate, and the figures kept with
 * the learned parameters.
 */
async function measured<R extends { label: string }>(
  rows: readonly R[],
  train: readonly R[],
  test: readonly R[],
  labels: readonly string[],
  predict: (row: R) => string,
  gateAt: Parameters<typeof labelShortfalls>[1],
  params: Trained["params"],
  now: string,
  step: TrainingStep,
): Promise<TrainingOutcome> {
  const pairs: Array<{ actual: string; predicted: string }> = [];
  for (let i = 0; i < test.length; i++) {
    const r = test[i] as R;
    pairs.push({ actual: r.label, predicted: predict(r) });
    if ((i + 1) % CHUNK === 0) await step("measuring", (i + 1) / test.length);
  }
  const quality = measureQuality(pairs, labels, majorityLabel(train.map((r) => r.label)));
  await step("measuring", 1);
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const gate = labelShortfalls(counts, gateAt);
  return {
    ok: true,
    trained: {
      trained_at: now,
      records: rows.length,
      held_out: test.length,
      label_counts: Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      quality,
      ready: gate.ready,
      shortfalls: gate.shortfalls,
      params,
    },
  };
}
