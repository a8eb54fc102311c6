/**
 * Conditions compiled once per workflow version into closures over the run's facts — never
 * interpreted from JSON per event, never turned into SQL. Pure: `now` is part of the facts.
 */
import type { CalendarSpec } from "../crm/calendar/calendar.js";
import type { ObjectName } from "../crm/fields.js";
import { foldEmail } from "../crm/values.js";
import type { Condition, LeafCondition } from "./definition.js";

export interface FieldChangeFact {
  field: string;
  old: unknown;
  new: unknown;
}

/** What conditions can see. The runtime loads exactly what `needs` lists. */
export interface Facts {
  /** The record's fields plus id, created_at, updated_at. */
  record: Readonly<Record<string, unknown>>;
  /** Records the record references, by reference field name (null when unset or gone). */
  refs: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;
  /** Related-record counts by CountNeed.key. */
  counts: Readonly<Record<string, number>>;
  /** The change that triggered this evaluation, if any. */
  changes?: readonly FieldChangeFact[] | undefined;
  nowMs: number;
  /**
   * The business calendars the workflow's waits name, by `calendarKey` (./calendars.ts); null
   * when a named calendar does not exist. Loaded only for a workflow that has such waits.
   */
  calendars?: Readonly<Record<string, CalendarSpec | null>> | undefined;
  /**
   * Validation rules only (docs/data-quality.md): whether the write creates the record
   * (`is_new`), and the record as it was before the write (`$previous.<field>`; empty on a create).
   */
  write?: { isNew: boolean; previous: Readonly<Record<string, unknown>> } | undefined;
  /**
   * What the AI model of the run's current `classify` step says of the record (docs/ai.md),
   * worked out by the runtime before deciding — the engine does no IO. Only for that step.
   */
  prediction?: PredictionFact | undefined;
  /**
   * Scoring's prediction rules (docs/scoring.md): each conversion AI model's chance that the record
   * converts, with what raised it, by model name; null when the model gives none (off, untrained,
   * gone). Worked out by the runtime, like `prediction`.
   */
  conversions?: Readonly<Record<string, ConversionFact | null>> | undefined;
}

/** A conversion AI model's answer for a record: the chance, the model's version and what raised the chance most, in words. */
export interface ConversionFact {
  chance: number;
  modelVersion: number;
  reasons: readonly string[];
}

/** A model's prediction for a `classify` step, or why there is none (the model is off, untrained, gone). */
export type PredictionFact =
  | {
      ok: true;
      step: string;
      model: string;
      modelId: string;
      modelVersion: number;
      value: string;
      confidence: number;
      threshold: number;
      reasons: ReadonlyArray<{ feature: string; weight: number; text: string }>;
    }
  | { ok: false; step: string; model: string; why: string };

/** The path prefix that reads the value before the write: `$previous.stage`. */
export const PREVIOUS_PREFIX = "$previous.";

/** Records of an object whose `via` field points at the subject (the record, or its `of` reference). */
export interface RelatedCountNeed {
  key: string;
  review?: undefined;
  object: ObjectName;
  via: string;
  of: string | undefined;
  where: CompiledCondition | undefined;
}

/** The record's open items in the data review queue, of these kinds (undefined: any). */
export interface ReviewCountNeed {
  key: string;
  review: { kinds: readonly string[] | undefined };
}

export type CountNeed = RelatedCountNeed | ReviewCountNeed;

export interface Needs {
  refs: Set<string>;
  counts: CountNeed[];
}

export interface CompiledCondition {
  test(facts: Facts): boolean;
  /** A human sentence of what was compared, for the execution log. */
  explain(facts: Facts): string;
  needs: Needs;
}

const DAY_MS = 86_400_000;

function lookup(facts: Facts, path: string): unknown {
  if (path.startsWith(PREVIOUS_PREFIX)) return facts.write?.previous[path.slice(PREVIOUS_PREFIX.length)] ?? null;
  const dot = path.indexOf(".");
  if (dot < 0) return facts.record[path] ?? null;
  const ref = facts.refs[path.slice(0, dot)];
  return ref ? (ref[path.slice(dot + 1)] ?? null) : null;
}

function asTime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An email address as a condition compares it (the shape of one: something@domain.tld, no spaces). */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Two email addresses are equal whatever their ASCII case: emails are stored as typed
 * (crm/values.ts), and a condition `email eq "ana.silva@example.com"` means Ana however she typed
 * it. Conditions are compiled without field types, so the rule is by shape: two strings that are
 * both email addresses compare folded (`foldEmail`, as the SQL filters do).
 */
function sameEmail(a: string, b: string): boolean {
  return a.length === b.length && EMAIL_SHAPE.test(a) && EMAIL_SHAPE.test(b) && foldEmail(a) === foldEmail(b);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "string" && typeof b === "string") return sameEmail(a, b);
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** Whether `actual` passes the leaf operator `op` against `expected` (the one comparison rule; conflicts reuse it). */
export function compare(op: LeafCondition["op"], actual: unknown, expected: unknown, facts: Facts, field: string): boolean {
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);
  switch (op) {
    case "eq":
      return equal(actual, expected);
    case "neq":
      return !equal(actual, expected);
    case "in":
      return Array.isArray(expected) && expected.some((e) => equal(actual, e));
    case "nin":
      return !(Array.isArray(expected) && expected.some((e) => equal(actual, e)));
    case "contains": {
      const a = lower(actual);
      const e = lower(expected);
      return a !== undefined && e !== undefined && a.includes(e);
    }
    case "starts_with": {
      const a = lower(actual);
      const e = lower(expected);
      return a !== undefined && e !== undefined && a.startsWith(e);
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (actual === null || actual === undefined) return false;
      const c = order(actual, expected);
      if (c === undefined) return false;
      return op === "gt" ? c > 0 : op === "gte" ? c >= 0 : op === "lt" ? c < 0 : c <= 0;
    }
    case "between": {
      if (!Array.isArray(expected) || actual === null || actual === undefined) return false;
      const lo = order(actual, expected[0]);
      const hi = order(actual, expected[1]);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case "is_set":
      return actual !== null && actual !== undefined && actual !== "";
    case "is_not_set":
      return actual === null || actual === undefined || actual === "";
    case "changed":
      return (facts.changes ?? []).some((c) => c.field === field);
    case "changed_from":
      return (facts.changes ?? []).some((c) => c.field === field && equal(c.old, expected));
    case "changed_to":
      return (facts.changes ?? []).some((c) => c.field === field && equal(c.new, expected));
    case "within_last_days": {
      const t = asTime(actual);
      return t !== undefined && t <= facts.nowMs && t >= facts.nowMs - Number(expected) * DAY_MS;
    }
    case "within_next_days": {
      const t = asTime(actual);
      return t !== undefined && t >= facts.nowMs && t <= facts.nowMs + Number(expected) * DAY_MS;
    }
    case "is_new":
      return facts.write?.isNew === true;
  }
}

function compileLeaf(leaf: LeafCondition, needs: Needs): CompiledCondition {
  let read: (facts: Facts) => unknown;
  let label: string;
  if (leaf.review_items) {
    const kinds = leaf.review_items.kinds ? [...leaf.review_items.kinds].sort() : undefined;
    const key = `review:${kinds ? kinds.join(",") : "*"}`;
    if (!needs.counts.some((c) => c.key === key)) needs.counts.push({ key, review: { kinds } });
    read = (facts) => facts.counts[key] ?? 0;
    label = `open review items${kinds ? ` (${kinds.join(", ")})` : ""}`;
  } else if (leaf.count) {
    const where = leaf.count.where ? compileCondition(leaf.count.where) : undefined;
    // Named by what it counts, not by the order of compilation: a run step keeps its counts by
    // this key, and a replay compiles the workflow again (two equal counts are one fact).
    const c = leaf.count;
    const key = `count:${c.object}.${c.via}${c.of ? `@${c.of}` : ""}${c.where ? `?${JSON.stringify(c.where)}` : ""}`;
    needs.counts.push({ key, object: leaf.count.object, via: leaf.count.via, of: leaf.count.of, where });
    if (leaf.count.of) needs.refs.add(leaf.count.of);
    read = (facts) => facts.counts[key] ?? 0;
    label = `count of ${leaf.count.object} by ${leaf.count.via}`;
  } else {
    const field = leaf.field ?? "";
    const dot = field.indexOf(".");
    if (dot > 0 && !field.startsWith(PREVIOUS_PREFIX)) needs.refs.add(field.slice(0, dot));
    read = (facts) => lookup(facts, field);
    label = leaf.op === "is_new" ? "the record" : field;
  }
  const field = leaf.field ?? "";
  const test = (facts: Facts) => compare(leaf.op, read(facts), leaf.value, facts, field);
  return {
    test,
    explain: (facts) => {
      const shown =
        leaf.op === "is_set" || leaf.op === "is_not_set" || leaf.op === "is_new" || leaf.op.startsWith("changed")
          ? ""
          : ` ${JSON.stringify(leaf.value)}`;
      return `${label} (${JSON.stringify(read(facts))}) ${leaf.op}${shown} → ${test(facts)}`;
    },
    needs,
  };
}

function compileInto(condition: Condition, needs: Needs): CompiledCondition {
  if ("and" in condition) {
    const parts = condition.and.map((c) => compileInto(c, needs));
    return {
      test: (f) => parts.every((p) => p.test(f)),
      explain: (f) => `(${parts.map((p) => p.explain(f)).join(" AND ")})`,
      needs,
    };
  }
  if ("or" in condition) {
    const parts = condition.or.map((c) => compileInto(c, needs));
    return {
      test: (f) => parts.some((p) => p.test(f)),
      explain: (f) => `(${parts.map((p) => p.explain(f)).join(" OR ")})`,
      needs,
    };
  }
  if ("not" in condition) {
    const inner = compileInto(condition.not, needs);
    return { test: (f) => !inner.test(f), explain: (f) => `NOT ${inner.explain(f)}`, needs };
  }
  return compileLeaf(condition, needs);
}

export function compileCondition(condition: Condition): CompiledCondition {
  return compileInto(condition, { refs: new Set(), counts: [] });
}

/** A condition that always holds: for workflows without enrollment conditions. */
export const ALWAYS: CompiledCondition = {
  test: () => true,
  explain: () => "no conditions → true",
  needs: { refs: new Set(), counts: [] },
};
