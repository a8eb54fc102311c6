/**
 * The data-quality KPIs' verdict on one record (docs/kpis.md "Data quality"): pure, so that each
 * is tested by hand-worked answers without a database.
 *
 * - Required fields: the object's fields marked required (built-in and custom) must be filled;
 *   and a stage gate's `requires` must hold while the gate's field is at one of its values — a
 *   field a gate demands at a stage is required there. Read on the record as it stands now.
 * - Duplicates: of a suspected pair, the record created later is the duplicate (the other was
 *   there first; the same instant: the greater id).
 */
import type { CompiledCondition, Facts } from "../conditions.js";
import type { GateValue } from "../rules.js";

/** What an object requires: its required fields and its enabled gates. */
export interface RequiredSpec {
  fields: readonly string[];
  gates: ReadonlyArray<{ name: string; field: string; to: readonly GateValue[]; shownOn: string; requires: CompiledCondition }>;
}

/** Filled: set, and not an empty string or list (the condition language's `is_set`, and a list with something in it). */
export function filled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** What the record lacks: each required field not filled, and each gate whose stage it is at without what the gate requires ("resolution (gate …)"). */
export function missingRequired(spec: RequiredSpec, record: Readonly<Record<string, unknown>>, nowMs: number): string[] {
  const out = spec.fields.filter((f) => !filled(record[f]));
  const facts: Facts = { record, refs: {}, counts: {}, nowMs };
  for (const g of spec.gates) {
    if (!g.to.some((v) => v === record[g.field])) continue;
    if (!g.requires.test(facts)) out.push(`${g.shownOn} (${g.name})`);
  }
  return out;
}

/** The side of a suspected pair that is the duplicate: the one created later. */
export function laterOf(a: { id: string; createdAt: string }, b: { id: string; createdAt: string }): { later: string; earlier: string } {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  const aLater = ta > tb || (ta === tb && a.id > b.id);
  return aLater ? { later: a.id, earlier: b.id } : { later: b.id, earlier: a.id };
}

/**
 * A record's fields as they stood at an earlier instant: its fields now with each change made
 * since undone, newest first — each field back to the value it had before the change. A field the
 * trail never names keeps its value now (docs/kpis.md "As at the period's end").
 */
export function undoChanges(
  now: Readonly<Record<string, unknown>>,
  newestFirst: ReadonlyArray<{ changes: ReadonlyArray<{ field: string; old: unknown }> }>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...now };
  for (const entry of newestFirst) for (const c of entry.changes) out[c.field] = c.old ?? null;
  return out;
}
