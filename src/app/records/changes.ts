/** Field-level diffs: what the audit trail and record.updated events carry. */
import type { FieldChange } from "../../store/ports.js";

export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: FieldChange[] = [];
  for (const field of names) {
    const old = before[field] ?? null;
    const next = after[field] ?? null;
    if (!same(old, next)) out.push({ field, old, new: next });
  }
  return out;
}

/** Drops keys whose value is null: stored records hold only the fields that are set. */
export function compact(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
