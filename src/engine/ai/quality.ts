/**
 * A model's honest quality before anyone turns it on (issue 24; docs/ai.md): records held out of
 * training, accuracy on them beside the majority-class baseline (what always answering the most
 * common label scores), per-class precision and recall, and the confusion matrix; and the gate on
 * how many labels a model needs before it may be used.
 */

/**
 * Whether a record is held out: one in `every` by a hash of its id, not by a random draw, so that
 * retraining on more records keeps the same records held out and the figures stay comparable.
 */
export function isHeldOut(id: string, every = 5): boolean {
  return fnv1a(id) % every === 0;
}

/** FNV-1a, 32 bits: a stable, well-spread hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface ClassQuality {
  label: string;
  /** Of the held-out records predicted as this class, the share that were; null when none was predicted. */
  precision: number | null;
  /** Of the held-out records of this class, the share predicted as it; null when there were none. */
  recall: number | null;
  /** Held-out records of this class. */
  support: number;
}

export interface Quality {
  heldOut: number;
  accuracy: number;
  /** The accuracy of always answering the training set's most common label. */
  baseline: number;
  baselineLabel: string;
  classes: ClassQuality[];
  /** confusion[i][j]: held-out records of labels[i] predicted as labels[j]. */
  confusion: { labels: string[]; counts: number[][] };
}

/**
 * Quality over held-out pairs of (actual, predicted). `labels` is every class the model knows
 * (a class never predicted still gets its row); `majority` is the training set's most common label.
 */
export function measureQuality(
  pairs: ReadonlyArray<{ actual: string; predicted: string }>,
  labels: readonly string[],
  majority: string,
): Quality {
  if (pairs.length === 0) throw new RangeError("no held-out records to measure quality on");
  const all = [...new Set([...labels, ...pairs.map((p) => p.actual), ...pairs.map((p) => p.predicted)])].sort();
  const at = new Map(all.map((l, i) => [l, i]));
  const counts = all.map(() => all.map(() => 0));
  let right = 0;
  let majorityRight = 0;
  for (const p of pairs) {
    const row = counts[at.get(p.actual) as number] as number[];
    const j = at.get(p.predicted) as number;
    row[j] = (row[j] as number) + 1;
    if (p.actual === p.predicted) right++;
    if (p.actual === majority) majorityRight++;
  }
  const classes = all.map((label, i) => {
    const support = (counts[i] as number[]).reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((a, row) => a + (row[i] as number), 0);
    const hit = (counts[i] as number[])[i] as number;
    return {
      label,
      precision: predicted === 0 ? null : hit / predicted,
      recall: support === 0 ? null : hit / support,
      support,
    };
  });
  return {
    heldOut: pairs.length,
    accuracy: right / pairs.length,
    baseline: majorityRight / pairs.length,
    baselineLabel: majority,
    classes,
    confusion: { labels: all, counts },
  };
}

/** The most common label (ties to the first in sort order, so the answer does not depend on input order). */
export function majorityLabel(labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const first = sorted[0];
  if (!first) throw new RangeError("no labels");
  return first[0];
}

export interface Shortfall {
  label: string;
  have: number;
  /** How many more labelled records of this label the model needs. */
  more: number;
}

/**
 * Whether a model has enough labels to be turned on: at least `perClass` of each of at least two
 * labels (a number for every label, or a minimum per label — a conversion model wants more
 * conversions than losses). A label below its bar is named with how many more it needs; with
 * fewer than two labels at all, the answer names what is missing rather than training a
 * one-answer model. Labels given a minimum count even when no record has them.
 */
export function labelShortfalls(
  counts: ReadonlyMap<string, number>,
  perClass: number | Readonly<Record<string, number>> = 50,
): { ready: boolean; shortfalls: Shortfall[] } {
  const all = new Map(counts);
  if (typeof perClass !== "number") for (const label of Object.keys(perClass)) all.set(label, all.get(label) ?? 0);
  const need = (label: string) => (typeof perClass === "number" ? perClass : (perClass[label] ?? 0));
  const shortfalls = [...all]
    .filter(([label, n]) => n < need(label))
    .map(([label, have]) => ({ label, have, more: need(label) - have }))
    .sort((a, b) => (a.label < b.label ? -1 : 1));
  const present = [...all].filter(([, n]) => n > 0).length;
  return { ready: present >= 2 && shortfalls.length === 0, shortfalls };
}
