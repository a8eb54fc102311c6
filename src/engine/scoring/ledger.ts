/**
 * The ledger's arithmetic (docs/scoring.md "The ledger"), pure: a record's score moves in steps,
 * each a ledger row with the total before and after. Changes of one instant are applied one at a
 * time in a fixed order, so each row says what its rule did with the caps as they were; decay
 * since the last row is a row of its own first when it reaches half a point (a smaller drift is
 * carried by the next row). Hence, for every record, the sum of
 * (after − before) over its rows is its stored total: the rows telescope from 0.
 */
import { type Award, type CompiledScoreModel, type FitHit, type ScoreValue, scoreAt } from "./model.js";

export const LEDGER_KINDS = ["fit", "engagement", "decay", "expiry", "rescore"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface ScoreInputs {
  hits: FitHit[];
  awards: Award[];
}

export type ScoreChange = { kind: "fit"; hit: FitHit; holds: boolean } | { kind: "engagement"; award: Award };

export interface LedgerStep {
  kind: LedgerKind;
  groupKey: string | null;
  ruleKey: string | null;
  /** Nominal points of the rule (negated for a fit rule that stopped holding); null for decay. */
  points: number | null;
  before: number;
  after: number;
  /** Which change of the list made it (undefined: decay since the last row). */
  change?: ScoreChange;
}

/** Below this a difference is floating-point noise, not a change worth a row. */
export const EPSILON = 1e-9;

/**
 * The fit rules that started or stopped holding, stopped first, each in the model's order; then
 * the prediction rules still holding whose points moved (the model's chance changed): a row that
 * gives the new points in place of the old.
 */
export function fitChanges(model: CompiledScoreModel, before: readonly FitHit[], after: readonly FitHit[]): ScoreChange[] {
  const key = (h: { groupKey: string; ruleKey: string }) => `${h.groupKey}/${h.ruleKey}`;
  const had = new Map(before.map((h) => [key(h), h]));
  const has = new Map(after.map((h) => [key(h), h]));
  const out: ScoreChange[] = [];
  for (const r of model.fitRules) {
    const old = had.get(key(r));
    if (old && !has.has(key(r))) out.push({ kind: "fit", hit: old, holds: false });
  }
  for (const r of model.fitRules) {
    const now = has.get(key(r));
    const old = had.get(key(r));
    if (now && (!old || Math.abs(old.points - now.points) > EPSILON)) out.push({ kind: "fit", hit: now, holds: true });
  }
  return out;
}

function apply(inputs: ScoreInputs, c: ScoreChange): ScoreInputs {
  if (c.kind === "engagement") return { hits: inputs.hits, awards: [...inputs.awards, c.award] };
  const k = `${c.hit.groupKey}/${c.hit.ruleKey}`;
  const rest = inputs.hits.filter((h) => `${h.groupKey}/${h.ruleKey}` !== k);
  return { hits: c.holds ? [...rest, c.hit] : rest, awards: inputs.awards };
}

/**
 * The rows of `changes` at `tMs`, from a stored total `stored` (the total after the record's last
 * row; 0 before its first): a decay row when the total drifted since, then one row per change
 * (a rule over its group's cap writes a row that moves nothing: the ledger says why it did not count).
 */
export function ledgerSteps(
  model: CompiledScoreModel,
  stored: number,
  inputs: ScoreInputs,
  changes: readonly ScoreChange[],
  tMs: number,
): { steps: LedgerStep[]; inputs: ScoreInputs; value: ScoreValue } {
  const steps: LedgerStep[] = [];
  let value = scoreAt(model, inputs.hits, inputs.awards, tMs);
  // Decay since the last row is a row of its own when it is worth showing (half a point, or
  // nothing else happens); a smaller drift is carried by the first change's row, whose `before`
  // is then the stored total — the rows telescope either way.
  const drift = value.total - stored;
  let carried = stored;
  if (Math.abs(drift) > EPSILON && (Math.abs(drift) >= 0.5 || changes.length === 0)) {
    steps.push({
      kind: model.decay.kind === "expiry" ? "expiry" : "decay",
      groupKey: null,
      ruleKey: null,
      points: null,
      before: stored,
      after: value.total,
    });
    carried = value.total;
  }
  let current = inputs;
  for (const c of changes) {
    current = apply(current, c);
    const next = scoreAt(model, current.hits, current.awards, tMs);
    const step: LedgerStep =
      c.kind === "fit"
        ? {
            kind: "fit",
            groupKey: c.hit.groupKey,
            ruleKey: c.hit.ruleKey,
            points: c.holds ? c.hit.points : -c.hit.points,
            before: carried,
            after: next.total,
            change: c,
          }
        : {
            kind: "engagement",
            groupKey: c.award.groupKey,
            ruleKey: c.award.ruleKey,
            points: c.award.points,
            before: carried,
            after: next.total,
            change: c,
          };
    steps.push(step);
    carried = next.total;
    value = next;
  }
  return { steps, inputs: current, value };
}
