/**
 * Training a classifier on the workspace's labelled records (docs/ai.md): the records whose target
 * has a value are the labels; one in five (by id) is held out to measure quality honestly; the
 * model is trained on the rest. What training leaves is stored on the model (`trained`).
 */
import { type NaiveBayesModel, predictNaiveBayes, trainNaiveBayes } from "../../engine/ai/naive-bayes.js";
import { isHeldOut, labelShortfalls, majorityLabel, measureQuality, type Quality, type Shortfall } from "../../engine/ai/quality.js";
import { recordFeatures } from "./ticket-features.js";

/** Labels a class needs before the model may be turned on (docs/ai.md, "The gate"). */
export const LABELS_PER_CLASS = 50;

export interface Trained {
  trained_at: string;
  /** Labelled records read; of them, held out. */
  records: number;
  held_out: number;
  label_counts: Record<string, number>;
  quality: Quality;
  ready: boolean;
  shortfalls: Shortfall[];
  params: NaiveBayesModel;
}

export interface Labelled {
  id: string;
  data: Readonly<Record<string, unknown>>;
}

export type TrainingOutcome = { ok: true; trained: Trained } | { ok: false; reason: string };

export function labelOf(data: Readonly<Record<string, unknown>>, target: string): string | undefined {
  const v = data[target];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export function trainClassifier(
  records: readonly Labelled[],
  spec: { target: string; text_fields: readonly string[]; value_fields: readonly string[] },
  now: string,
): TrainingOutcome {
  const rows = records.flatMap((r) => {
    const label = labelOf(r.data, spec.target);
    return label === undefined ? [] : [{ id: r.id, label, features: recordFeatures(r.data, spec.text_fields, spec.value_fields) }];
  });
  if (rows.length === 0) return { ok: false, reason: `no record has a value in "${spec.target}" to learn from` };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  if (counts.size < 2) return { ok: false, reason: `every labelled record says "${rows[0]?.label}": there is nothing to tell apart` };
  const train = rows.filter((r) => !isHeldOut(r.id));
  const test = rows.filter((r) => isHeldOut(r.id));
  if (train.length === 0 || test.length === 0)
    return { ok: false, reason: `${rows.length} labelled records are too few to train on some and hold out others` };
  const params = trainNaiveBayes(train.map((r) => ({ features: r.features, label: r.label })));
  const quality = measureQuality(
    test.map((r) => ({ actual: r.label, predicted: predictNaiveBayes(params, r.features).label })),
    params.classes,
    majorityLabel(train.map((r) => r.label)),
  );
  const gate = labelShortfalls(counts, LABELS_PER_CLASS);
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
