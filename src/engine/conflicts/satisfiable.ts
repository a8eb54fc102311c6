/**
 * Can a condition hold for some record? A conservative check over the condition language: it
 * answers false only when it can show that no record passes (`stage = won` and `stage = lost`;
 * `score > 60` and `score < 40`), and true for anything it does not understand (counts, changes,
 * text matching, relative dates), so that publish warns rather than misses a conflict.
 *
 * How: negations pushed to the leaves, the condition spread into a disjunction of conjunctions
 * (capped: beyond it, "can hold"), and each conjunction checked field by field. A field's
 * equalities (`eq`, `in`, `is_not_set`) give a finite set of candidates, each tested against every
 * constraint on the field with the same comparison the runtime uses; without candidates, the
 * ordering bounds must leave room for a value.
 */
import { compare } from "../conditions.js";
import type { Condition, ConditionOperator, LeafCondition } from "../definition.js";

/** Beyond this many conjunctions the check gives up and says "can hold". */
const MAX_CONJUNCTIONS = 256;

type Leaf = LeafCondition & { field: string };
/** A conjunction of leaves; `null` stands for one the check cannot read (it can hold). */
type Conjunction = Leaf[];

const NEGATED: Partial<Record<ConditionOperator, ConditionOperator>> = {
  eq: "neq",
  neq: "eq",
  in: "nin",
  nin: "in",
  is_set: "is_not_set",
  is_not_set: "is_set",
};

/** Operators whose constraint this check reads; any other leaf is taken as "can hold". */
const READ: ReadonlySet<ConditionOperator> = new Set([
  "eq",
  "neq",
  "in",
  "nin",
  "gt",
  "gte",
  "lt",
  "lte",
  "between",
  "is_set",
  "is_not_set",
]);

/** Whether some record can pass every one of these conditions (undefined ones are "always"). */
export function satisfiable(...conditions: ReadonlyArray<Condition | undefined>): boolean {
  const all = conditions.filter((c): c is Condition => c !== undefined);
  const dnf = toDnf(all.length === 0 ? undefined : { and: all }, false);
  if (dnf === null) return true;
  return dnf.some(conjunctionHolds);
}

/** The condition as a disjunction of conjunctions; null when too large to spread. */
function toDnf(c: Condition | undefined, negated: boolean): Conjunction[] | null {
  if (c === undefined) return [[]];
  if ("not" in c) return toDnf(c.not, !negated);
  if ("and" in c || "or" in c) {
    const parts = "and" in c ? c.and : c.or;
    // De Morgan: a negated and is an or of negations, and the other way round.
    const conjunctive = "and" in c !== negated;
    const spread = parts.map((p) => toDnf(p, negated));
    if (spread.some((s) => s === null)) return null;
    const lists = spread as Conjunction[][];
    if (!conjunctive) {
      const union = lists.flat();
      return union.length > MAX_CONJUNCTIONS ? null : union;
    }
    let product: Conjunction[] = [[]];
    for (const list of lists) {
      const next: Conjunction[] = [];
      for (const a of product) for (const b of list) next.push([...a, ...b]);
      if (next.length > MAX_CONJUNCTIONS) return null;
      product = next;
    }
    return product;
  }
  const leaf = readable(c, negated);
  // An unread leaf constrains nothing the check knows of: an empty conjunction (can hold).
  return [leaf ? [leaf] : []];
}

/** The leaf as a constraint this check reads (negated when asked), or undefined. */
function readable(c: LeafCondition, negated: boolean): Leaf | undefined {
  if (c.count || !c.field || !READ.has(c.op)) return undefined;
  if (!negated) return { ...c, field: c.field };
  // `not (score > 60)` also holds for an empty or non-number score: not a bound, left unread.
  const op = NEGATED[c.op];
  return op ? { field: c.field, op, value: c.value } : undefined;
}

function conjunctionHolds(leaves: Conjunction): boolean {
  const byField = new Map<string, Leaf[]>();
  for (const l of leaves) byField.set(l.field, [...(byField.get(l.field) ?? []), l]);
  return [...byField.values()].every(fieldCanHold);
}

const passes = (v: unknown, l: Leaf) => compare(l.op, v, l.value, { record: {}, refs: {}, counts: {}, nowMs: 0 }, l.field);

/** Whether one value of the field can pass every one of its constraints. */
function fieldCanHold(leaves: Leaf[]): boolean {
  const candidates = candidatesOf(leaves);
  if (candidates) return candidates.some((v) => leaves.every((l) => passes(v, l)));
  return boundsLeaveRoom(leaves);
}

/** The values the field's equalities allow, or undefined when none narrows it to a list. */
function candidatesOf(leaves: Leaf[]): unknown[] | undefined {
  let out: unknown[] | undefined;
  for (const l of leaves) {
    const allowed =
      l.op === "eq" ? [l.value] : l.op === "in" ? (Array.isArray(l.value) ? l.value : []) : l.op === "is_not_set" ? [null, ""] : undefined;
    if (!allowed) continue;
    out = out ? out.filter((v) => allowed.some((a) => passes(v, { field: l.field, op: "eq", value: a }))) : [...allowed];
  }
  return out;
}

interface Bound {
  value: number | string;
  strict: boolean;
}

/**
 * Without a list of candidates, only the ordering operators can leave no value: bounds of
 * different types (a value compares with numbers or with strings, never both), or a lower bound
 * above the upper one. A range of one point is tested as that point.
 */
function boundsLeaveRoom(leaves: Leaf[]): boolean {
  let lo: Bound | undefined;
  let hi: Bound | undefined;
  const types = new Set<string>();
  const tighter = (a: Bound | undefined, b: Bound, lower: boolean): Bound => {
    if (!a) return b;
    if (a.value === b.value) return { value: a.value, strict: a.strict || b.strict };
    return a.value > b.value === lower ? a : b;
  };
  const bound = (v: unknown, strict: boolean, lower: boolean) => {
    if (typeof v !== "number" && typeof v !== "string") {
      types.add("none"); // compares with nothing: the operator never holds
      return;
    }
    types.add(typeof v);
    if (types.size > 1) return;
    if (lower) lo = tighter(lo, { value: v, strict }, true);
    else hi = tighter(hi, { value: v, strict }, false);
  };
  for (const l of leaves) {
    if (l.op === "gt" || l.op === "gte") bound(l.value, l.op === "gt", true);
    else if (l.op === "lt" || l.op === "lte") bound(l.value, l.op === "lt", false);
    else if (l.op === "between") {
      if (!Array.isArray(l.value)) return false;
      bound(l.value[0], false, true);
      bound(l.value[1], false, false);
    }
  }
  if (types.has("none") || types.size > 1) return false;
  if (!lo || !hi) return true;
  if (lo.value > hi.value) return false;
  if (lo.value === hi.value) return !lo.strict && !hi.strict && leaves.every((l) => passes(lo?.value, l));
  // Strings have room between any two distinct ones only sometimes ("a" < x < "a\0" has none): say it can hold.
  return true;
}
