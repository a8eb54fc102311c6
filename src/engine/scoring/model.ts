/**
 * The pure scoring model (docs/scoring.md "How a score is computed"): compiled once per version,
 * then
 * - fit: the rules whose condition holds on the record (facts as workflow conditions see them);
 * - engagement: **awards** — one (event, rule) each, worth `points·2^(−age/half_life)` under a
 *   half-life, `points` until `awarded_at + N days` and 0 from then under expiry, `points` for
 *   ever without decay;
 * - a group's value is min(cap, sum of its rules' current points); fit and engagement are the
 *   sums of their groups; total = min(total_cap, w_fit·fit + w_eng·engagement).
 * Everything is a closed form of the inputs and the instant, so a score at any instant is
 * reproducible from its awards. No IO, no clock.
 */
import { type CompiledCondition, compileCondition, type Facts, type Needs } from "../conditions.js";
import { fieldsRead } from "./check.js";
import type { EngagementRule, ScoreModelDefinition } from "./definition.js";

export const DAY_MS = 86_400_000;

export type Decay = { kind: "none" } | { kind: "half_life"; ms: number } | { kind: "expiry"; ms: number };

interface CompiledRuleBase {
  groupKey: string;
  ruleKey: string;
  label: string;
  points: number;
}
export interface CompiledFitRule extends CompiledRuleBase {
  /** A condition rule's test; a prediction rule has none. */
  when: CompiledCondition | undefined;
  /** A prediction rule's conversion AI model. */
  prediction: string | undefined;
}
export interface CompiledEngagementRule extends CompiledRuleBase {
  on: EngagementRule["on"];
  when: CompiledCondition | undefined;
}
export interface CompiledGroup {
  part: "fit" | "engagement";
  key: string;
  label: string;
  cap: number;
  rules: ReadonlyArray<{ key: string; label: string; points: number }>;
}

export interface CompiledScoreModel {
  def: ScoreModelDefinition;
  groups: readonly CompiledGroup[];
  fitRules: readonly CompiledFitRule[];
  engagementRules: readonly CompiledEngagementRule[];
  /** What the fit conditions need loaded (references). */
  fitNeeds: Needs;
  /** Fields of the record a fit condition reads (a reference's own field for `company.industry`). */
  fitReads: ReadonlySet<string>;
  /**
   * Per reference field a fit condition reads through (`company_id`), the fields of the
   * referenced record it reads (`industry`): a change of those on the referenced record moves fit.
   */
  fitRefReads: ReadonlyMap<string, ReadonlySet<string>>;
  /** The conversion AI models the prediction rules name: the runtime loads their chances (`Facts.conversions`). */
  predictions: readonly string[];
  decay: Decay;
}

/**
 * A fit rule that holds on the record, with what it gives: a condition rule its points, a
 * prediction rule the chance × its points (to a tenth of a point, so that a chance moving in its
 * fourth decimal is not a change of score).
 */
export interface FitHit {
  groupKey: string;
  ruleKey: string;
  points: number;
  /**
   * An AI prediction rule's answer when it was evaluated: the ledger row its change writes keeps
   * it as its cause (the chance and what raised it). Not kept with the state: a stored hit is
   * its points.
   */
  because?: { model: string; modelVersion: number; chance: number; reasons: readonly string[] } | undefined;
}

/** One event × one engagement rule. Instants in ms. */
export interface Award {
  groupKey: string;
  ruleKey: string;
  points: number;
  awardedAtMs: number;
}

export function decayOf(def: ScoreModelDefinition): Decay {
  const d = def.engagement?.decay;
  if (!d) return { kind: "none" };
  return "half_life_days" in d
    ? { kind: "half_life", ms: d.half_life_days * DAY_MS }
    : { kind: "expiry", ms: d.expires_after_days * DAY_MS };
}

export function compileScoreModel(def: ScoreModelDefinition): CompiledScoreModel {
  const fitNeeds: Needs = { refs: new Set(), counts: [] };
  const fitReads = new Set<string>();
  const fitRefReads = new Map<string, Set<string>>();
  const groups: CompiledGroup[] = [];
  const fitRules: CompiledFitRule[] = [];
  const engagementRules: CompiledEngagementRule[] = [];
  for (const g of def.fit?.groups ?? []) {
    groups.push({ part: "fit", key: g.key, label: g.label, cap: g.cap ?? Number.POSITIVE_INFINITY, rules: g.rules });
    for (const r of g.rules) {
      if (r.when === undefined) {
        fitRules.push({ groupKey: g.key, ruleKey: r.key, label: r.label, points: r.points, when: undefined, prediction: r.prediction });
        continue;
      }
      const when = compileCondition(r.when);
      for (const ref of when.needs.refs) fitNeeds.refs.add(ref);
      for (const f of fieldsRead(r.when)) {
        const dot = f.indexOf(".");
        fitReads.add(dot > 0 ? f.slice(0, dot) : f);
        if (dot <= 0) continue;
        const ref = f.slice(0, dot);
        const reads = fitRefReads.get(ref) ?? new Set<string>();
        reads.add(f.slice(dot + 1));
        fitRefReads.set(ref, reads);
      }
      fitRules.push({ groupKey: g.key, ruleKey: r.key, label: r.label, points: r.points, when, prediction: undefined });
    }
  }
  for (const g of def.engagement?.groups ?? []) {
    groups.push({ part: "engagement", key: g.key, label: g.label, cap: g.cap ?? Number.POSITIVE_INFINITY, rules: g.rules });
    for (const r of g.rules)
      engagementRules.push({
        groupKey: g.key,
        ruleKey: r.key,
        label: r.label,
        points: r.points,
        on: r.on,
        when: r.when ? compileCondition(r.when) : undefined,
      });
  }
  const predictions = [...new Set(fitRules.flatMap((r) => (r.prediction === undefined ? [] : [r.prediction])))];
  return { def, groups, fitRules, engagementRules, fitNeeds, fitReads, fitRefReads, predictions, decay: decayOf(def) };
}

/** What a prediction rule gives for a chance: chance × points, to a tenth of a point. */
export const predictedPoints = (chance: number, points: number) => Math.round(chance * points * 10) / 10;

/**
 * The fit rules that hold, in the model's order. A prediction rule holds when its model gave a
 * chance (`facts.conversions`); a model that gives none (off, untrained, deleted) gives nothing.
 */
export function fitHits(model: CompiledScoreModel, facts: Facts): FitHit[] {
  const out: FitHit[] = [];
  for (const r of model.fitRules) {
    if (r.when) {
      if (r.when.test(facts)) out.push({ groupKey: r.groupKey, ruleKey: r.ruleKey, points: r.points });
      continue;
    }
    const answer = r.prediction === undefined ? undefined : facts.conversions?.[r.prediction];
    if (r.prediction !== undefined && answer)
      out.push({
        groupKey: r.groupKey,
        ruleKey: r.ruleKey,
        points: predictedPoints(answer.chance, r.points),
        because: { model: r.prediction, ...answer },
      });
  }
  return out;
}

/**
 * The fit hits a stored state says held (`fitRules`, with `fitPoints` for prediction rules): a
 * condition rule gives the points of the model as it is, a prediction rule what it gave then.
 */
export function storedHits(model: CompiledScoreModel, fitRules: readonly string[], fitPoints: Readonly<Record<string, number>>): FitHit[] {
  const keys = new Set(fitRules);
  const out: FitHit[] = [];
  for (const r of model.fitRules) {
    const key = `${r.groupKey}/${r.ruleKey}`;
    if (!keys.has(key)) continue;
    const points = r.prediction === undefined ? r.points : fitPoints[key];
    if (points !== undefined) out.push({ groupKey: r.groupKey, ruleKey: r.ruleKey, points });
  }
  return out;
}

/** What a state keeps of the hits: which held, and what each prediction rule gave. */
export function hitsToStore(model: CompiledScoreModel, hits: readonly FitHit[]): { fitRules: string[]; fitPoints: Record<string, number> } {
  const predicted = new Set(model.fitRules.filter((r) => r.prediction !== undefined).map((r) => `${r.groupKey}/${r.ruleKey}`));
  const fitPoints: Record<string, number> = {};
  for (const h of hits) if (predicted.has(`${h.groupKey}/${h.ruleKey}`)) fitPoints[`${h.groupKey}/${h.ruleKey}`] = h.points;
  return { fitRules: hits.map((h) => `${h.groupKey}/${h.ruleKey}`), fitPoints };
}

/** What happened, as engagement rules listen to it. `facts`: the activity's (activity rules) or the record's (external rules). */
export type EngagementEvent = { kind: "activity"; type: string; facts: Facts } | { kind: "external"; source: string; facts: Facts };

/** The rules an event earns, in the model's order (each an award at the event's instant). */
export function rulesEarned(model: CompiledScoreModel, event: EngagementEvent): CompiledEngagementRule[] {
  return model.engagementRules.filter((r) => {
    const listens =
      "activity" in r.on
        ? event.kind === "activity" && r.on.activity.includes(event.type)
        : event.kind === "external" && r.on.external.includes(event.source);
    return listens && (r.when === undefined || r.when.test(event.facts));
  });
}

/** The closed form: an award's worth at `tMs` (0 before it was awarded). */
export function awardValue(decay: Decay, award: Award, tMs: number): number {
  if (tMs < award.awardedAtMs) return 0;
  switch (decay.kind) {
    case "none":
      return award.points;
    case "half_life":
      return award.points * 2 ** (-(tMs - award.awardedAtMs) / decay.ms);
    case "expiry":
      return tMs < award.awardedAtMs + decay.ms ? award.points : 0;
  }
}

/** When an award stops counting (expiry only). */
export function awardExpiresAt(decay: Decay, award: Award): number | null {
  return decay.kind === "expiry" ? award.awardedAtMs + decay.ms : null;
}

export interface RuleValue {
  key: string;
  label: string;
  /** Nominal points of the rule. */
  points: number;
  /** What it contributes now, before the group's cap: the fit rule's points when it holds, the sum of its awards' current worth. */
  current: number;
  /** Fit: whether it holds; engagement: how many awards it has. */
  hits: number;
}
export interface GroupValue {
  part: "fit" | "engagement";
  key: string;
  label: string;
  cap: number | null;
  /** min(cap, sum of the rules' current points). */
  value: number;
  rules: RuleValue[];
}
export interface ScoreValue {
  fit: number;
  engagement: number;
  total: number;
  /** What the fields hold: each rounded to an integer. */
  rounded: { fit: number; engagement: number; total: number };
  groups: GroupValue[];
}

const capOf = (cap: number) => (Number.isFinite(cap) ? cap : null);

/** The score at `tMs` from the fit hits and the awards (awards after `tMs` do not count yet). */
export function scoreAt(model: CompiledScoreModel, hits: readonly FitHit[], awards: readonly Award[], tMs: number): ScoreValue {
  const groups: GroupValue[] = [];
  let fit = 0;
  let engagement = 0;
  for (const g of model.groups) {
    const rules: RuleValue[] = g.rules.map((r) => {
      let current = 0;
      let n = 0;
      if (g.part === "fit") {
        const hit = hits.find((h) => h.groupKey === g.key && h.ruleKey === r.key);
        current = hit ? hit.points : 0;
        n = hit ? 1 : 0;
      } else {
        for (const a of awards) {
          if (a.groupKey !== g.key || a.ruleKey !== r.key || a.awardedAtMs > tMs) continue;
          current += awardValue(model.decay, a, tMs);
          n += 1;
        }
      }
      return { key: r.key, label: r.label, points: r.points, current, hits: n };
    });
    const value = Math.min(
      g.cap,
      rules.reduce((s, r) => s + r.current, 0),
    );
    groups.push({ part: g.part, key: g.key, label: g.label, cap: capOf(g.cap), value, rules });
    if (g.part === "fit") fit += value;
    else engagement += value;
  }
  const total = combine(model, fit, engagement);
  return {
    fit,
    engagement,
    total,
    rounded: { fit: Math.round(fit), engagement: Math.round(engagement), total: Math.round(total) },
    groups,
  };
}

function combine(model: CompiledScoreModel, fit: number, engagement: number): number {
  const raw = model.def.weights.fit * fit + model.def.weights.engagement * engagement;
  return model.def.total_cap === undefined ? raw : Math.min(model.def.total_cap, raw);
}

const roundedKey = (v: ScoreValue) => `${v.rounded.engagement}/${v.rounded.total}`;

/**
 * The next instant after `tMs` at which decay or expiry changes what the fields hold (the
 * rounded engagement or total), or null when it never will. Exact to the millisecond:
 *
 * - expiry: the values are steps that move only at the awards' expiry instants; the first of
 *   those after `tMs` at which the rounded values differ.
 * - half-life: every award decays at one rate, so a group's sum is `V·x` with
 *   `x = 2^(−(t−tMs)/h)` running from 1 down to 0, and min(cap, V·x) is piecewise linear in x
 *   (a bend where V·x meets the cap). So are engagement and w_fit·fit + w_eng·engagement: on
 *   each piece the instant a value reaches the next rounding boundary (r ± ½) is a linear
 *   equation in x, and t = tMs + h·log2(1/x).
 */
export function nextChangeAt(model: CompiledScoreModel, hits: readonly FitHit[], awards: readonly Award[], tMs: number): number | null {
  const decay = model.decay;
  if (decay.kind === "none") return null;
  const now = scoreAt(model, hits, awards, tMs);
  if (decay.kind === "expiry") {
    const instants = [...new Set(awards.filter((a) => a.awardedAtMs <= tMs).map((a) => a.awardedAtMs + decay.ms))]
      .filter((t) => t > tMs)
      .sort((a, b) => a - b);
    for (const t of instants) if (roundedKey(scoreAt(model, hits, awards, t)) !== roundedKey(now)) return t;
    return null;
  }
  const h = decay.ms;
  const eng = now.groups.filter((g) => g.part === "engagement");
  const V = eng.map((g) => g.rules.reduce((s, r) => s + r.current, 0));
  const caps = eng.map((g) => g.cap ?? Number.POSITIVE_INFINITY);
  const engagementAt = (x: number) => V.reduce((s, v, i) => s + Math.min(caps[i] ?? Number.POSITIVE_INFINITY, v * x), 0);
  const w = model.def.weights;
  const combinedAt = (x: number) => w.fit * now.fit + w.engagement * engagementAt(x);
  const totalCap = model.def.total_cap ?? Number.POSITIVE_INFINITY;
  // Bends: where a positive group sum meets its cap.
  const bends = V.map((v, i) => (v > (caps[i] ?? Number.POSITIVE_INFINITY) ? (caps[i] ?? 0) / v : 1))
    .filter((x) => x > 0 && x < 1)
    .sort((a, b) => b - a);
  const edges = [1, ...bends, 0];
  // The largest x (the earliest instant) at which f leaves [lo, up): below `lo` or at `up` and over.
  const first = (f: (x: number) => number, down: number, up: number): number | undefined => {
    for (let i = 0; i + 1 < edges.length; i++) {
      const hi = edges[i] ?? 1;
      const lo = edges[i + 1] ?? 0;
      const fHi = f(hi);
      const fLo = f(lo);
      if (fHi === fLo) continue;
      // f(x) = fLo + (fHi − fLo)·(x − lo)/(hi − lo) = level
      const at = (level: number) => Math.min(hi, Math.max(lo, lo + ((level - fLo) * (hi - lo)) / (fHi - fLo)));
      const xs: number[] = [];
      if (fLo < down && fHi >= down) xs.push(at(down));
      if (fLo >= up && fHi < up) xs.push(at(up));
      if (xs.length > 0) return Math.max(...xs);
    }
    return undefined;
  };
  const rE = now.rounded.engagement;
  const rT = now.rounded.total;
  const xs = [
    first(engagementAt, rE - 0.5, rE + 0.5),
    first(combinedAt, rT - 0.5, rT + 0.5 <= totalCap ? rT + 0.5 : Number.POSITIVE_INFINITY),
  ].filter((x): x is number => x !== undefined);
  if (xs.length === 0) return null;
  const x = Math.max(...xs);
  if (x <= 0) return null;
  // The boundary itself still rounds to the old value on one side: the first whole millisecond
  // at which the rounded values differ (floating point may need a step or two more).
  let t = Math.max(tMs + 1, Math.ceil(tMs + h * Math.log2(1 / x)));
  for (let i = 0; i < 4 && roundedKey(scoreAt(model, hits, awards, t)) === roundedKey(now); i++) t += 1;
  return t;
}
