/**
 * Multinomial naive Bayes over bags of features (issue 24; docs/ai.md): the classifier for a
 * ticket's category, queue or priority, learned from the workspace's own labelled records.
 *
 * Why naive Bayes: it learns from a few hundred labels, trains in one pass, and each prediction
 * decomposes into per-feature terms — so "why" is the features whose likelihood under the
 * predicted class most exceeds their likelihood under the runner-up, not a guess after the fact.
 *
 * Features are opaque strings ("subject:refund", "body:not_working", "plan=enterprise"); a
 * feature repeated in one record counts as often as it occurs. Laplace smoothing (alpha) keeps a
 * feature never seen with a class from vetoing it; features never seen in training are ignored
 * at prediction, as they say nothing about any class.
 */

export interface Example {
  features: readonly string[];
  label: string;
}

export interface NaiveBayesModel {
  kind: "naive_bayes";
  /** Sorted, so a model trained twice on the same examples is the same JSON. */
  classes: string[];
  logPriors: number[];
  /** Per feature, log P(feature | class) in the order of `classes`. */
  likelihoods: Record<string, number[]>;
  /** How many training examples each class had, in the order of `classes`. */
  support: number[];
}

export interface Reason {
  feature: string;
  /** How much the feature moved the score towards the predicted class (natural log units). */
  weight: number;
}

export interface ClassPrediction {
  label: string;
  /** The predicted class's posterior probability, 0–1. */
  confidence: number;
  /** Every class's posterior probability. */
  probabilities: Record<string, number>;
  /** The features that weighed most for the predicted class against the runner-up, strongest first. */
  reasons: Reason[];
}

export function trainNaiveBayes(examples: readonly Example[], alpha = 1): NaiveBayesModel {
  if (examples.length === 0) throw new RangeError("naive Bayes needs at least one example");
  if (!(alpha > 0)) throw new RangeError("alpha must be positive");
  const classes = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const support = classes.map(() => 0);
  const totals = classes.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const e of examples) {
    const c = index.get(e.label) as number;
    support[c] = (support[c] as number) + 1;
    for (const f of e.features) {
      let row = counts.get(f);
      if (!row) {
        row = classes.map(() => 0);
        counts.set(f, row);
      }
      row[c] = (row[c] as number) + 1;
      totals[c] = (totals[c] as number) + 1;
    }
  }
  const vocabulary = counts.size;
  const likelihoods: Record<string, number[]> = {};
  for (const f of [...counts.keys()].sort()) {
    const row = counts.get(f) as number[];
    likelihoods[f] = row.map((n, c) => Math.log((n + alpha) / ((totals[c] as number) + alpha * vocabulary)));
  }
  const logPriors = support.map((n) => Math.log(n / examples.length));
  return { kind: "naive_bayes", classes, logPriors, likelihoods, support };
}

/** The most likely class, its probability, and the features that decided it. */
export function predictNaiveBayes(model: NaiveBayesModel, features: readonly string[], topReasons = 3): ClassPrediction {
  const scores = [...model.logPriors];
  const known: Array<[string, number[]]> = [];
  for (const f of features) {
    const row = model.likelihoods[f];
    if (!row) continue;
    known.push([f, row]);
    for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] as number) + (row[c] as number);
  }
  const probabilities = softmax(scores);
  const order = scores.map((_, i) => i).sort((a, b) => (probabilities[b] as number) - (probabilities[a] as number) || a - b);
  const best = order[0] as number;
  const runnerUp = order[1];
  const byFeature = new Map<string, number>();
  if (runnerUp !== undefined)
    for (const [f, row] of known) byFeature.set(f, (byFeature.get(f) ?? 0) + (row[best] as number) - (row[runnerUp] as number));
  const reasons = [...byFeature]
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, topReasons)
    .map(([feature, weight]) => ({ feature, weight: round4(weight) }));
  return {
    label: model.classes[best] as string,
    confidence: probabilities[best] as number,
    probabilities: Object.fromEntries(model.classes.map((c, i) => [c, probabilities[i] as number])),
    reasons,
  };
}

/** Probabilities from log scores, shifted by the largest so that none underflows to zero together. */
export function softmax(logScores: readonly number[]): number[] {
  const max = Math.max(...logScores);
  const exps = logScores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
