/**
 * Binary logistic regression over sparse features (issue 24; docs/ai.md): a lead's chance to
 * convert, learned from the workspace's converted and lost leads. Features are named values
 * ("source=webinar" → 1, "employees_log" → 2.5); a feature absent from a record is 0.
 *
 * Trained by full-batch gradient descent with L2 regularisation, from zero weights and in a fixed
 * order, so the same examples always give the same model (no random start to explain). Each
 * prediction's reasons are its largest terms weight × value: what pushed the chance up.
 */
import type { Reason } from "./naive-bayes.js";

export interface LabelledVector {
  features: Readonly<Record<string, number>>;
  /** 1 converted, 0 not. */
  label: 0 | 1;
}

export interface LogisticModel {
  kind: "logistic";
  bias: number;
  weights: Record<string, number>;
}

export interface LogisticOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 strength: keeps rare features from getting large weights from a handful of records. */
  l2?: number;
}

export function trainLogistic(examples: readonly LabelledVector[], options: LogisticOptions = {}): LogisticModel {
  const trainer = logisticTrainer(examples, options);
  while (trainer.remaining() > 0) trainer.run(trainer.remaining());
  return trainer.model();
}

/**
 * The same training, an epoch batch at a time: the caller (a background training) looks at the
 * clock and lets other work run between batches. Running all epochs at once is trainLogistic.
 */
export function logisticTrainer(examples: readonly LabelledVector[], options: LogisticOptions = {}) {
  if (examples.length === 0) throw new RangeError("logistic regression needs at least one example");
  const epochs = options.epochs ?? 300;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 0.001;
  const names = [...new Set(examples.flatMap((e) => Object.keys(e.features)))].sort();
  const at = new Map(names.map((n, i) => [n, i]));
  const rows = examples.map((e) => ({
    idx: Object.keys(e.features).map((k) => at.get(k) as number),
    val: Object.values(e.features),
    y: e.label,
  }));
  const w = new Float64Array(names.length);
  let b = 0;
  let done = 0;
  const n = examples.length;
  const epoch = () => {
    const grad = new Float64Array(names.length);
    let gb = 0;
    for (const r of rows) {
      let z = b;
      for (let k = 0; k < r.idx.length; k++) z += (w[r.idx[k] as number] as number) * (r.val[k] as number);
      const err = sigmoid(z) - r.y;
      gb += err;
      for (let k = 0; k < r.idx.length; k++) {
        const j = r.idx[k] as number;
        grad[j] = (grad[j] as number) + err * (r.val[k] as number);
      }
    }
    for (let j = 0; j < w.length; j++) w[j] = (w[j] as number) - rate * ((grad[j] as number) / n + l2 * (w[j] as number));
    b -= (rate * gb) / n;
  };
  return {
    /** Epochs still to run. */
    remaining: () => epochs - done,
    /** Runs up to `count` more epochs. */
    run(count: number): void {
      for (const stop = Math.min(epochs, done + count); done < stop; done++) epoch();
    },
    model: (): LogisticModel => ({
      kind: "logistic",
      bias: b,
      weights: Object.fromEntries(names.map((name, j) => [name, w[j] as number])),
    }),
  };
}

export function predictLogistic(
  model: LogisticModel,
  features: Readonly<Record<string, number>>,
  topReasons = 3,
): { probability: number; reasons: Reason[] } {
  let z = model.bias;
  const terms: Reason[] = [];
  for (const [f, v] of Object.entries(features)) {
    const weight = model.weights[f];
    if (weight === undefined || v === 0) continue;
    z += weight * v;
    terms.push({ feature: f, weight: Math.round(weight * v * 10_000) / 10_000 });
  }
  const reasons = terms
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1))
    .slice(0, topReasons);
  return { probability: sigmoid(z), reasons };
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
