/**
 * The merge screen's pure model (no React, no fetch): which fields are compared, whose value each
 * takes by default — the survivor's, unless it is empty and the other record's is not (the
 * server's own default, docs/data-quality.md "Merge") — and the body of the merge request.
 */
import type { FieldInfo } from "../../records/field-info.js";

export type Side = "left" | "right";
export type Choice = "survivor" | "merged";

type Rec = Readonly<Record<string, unknown>>;

export const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** The fields a person chooses between: every field Handoff does not manage. */
export const comparable = (fields: readonly FieldInfo[]) => fields.filter((f) => !f.managed && f.name !== "id");

/** Per field, the side whose value it takes by default when `survivor` stays. */
export function defaultSides(fields: readonly FieldInfo[], left: Rec, right: Rec, survivor: Side): Record<string, Side> {
  const other: Side = survivor === "left" ? "right" : "left";
  const rec = { left, right };
  const out: Record<string, Side> = {};
  for (const f of comparable(fields)) out[f.name] = isEmpty(rec[survivor][f.name]) && !isEmpty(rec[other][f.name]) ? other : survivor;
  return out;
}

/** The fields whose two values differ (the ones worth a person's look). */
export const differing = (fields: readonly FieldInfo[], left: Rec, right: Rec) =>
  comparable(fields).filter((f) => JSON.stringify(left[f.name] ?? null) !== JSON.stringify(right[f.name] ?? null));

/** The POST body: ids by the survivor chosen, and each field's side as survivor/merged. */
export function mergeBody(leftId: string, rightId: string, survivor: Side, sides: Readonly<Record<string, Side>>) {
  const fields: Record<string, Choice> = {};
  for (const [name, side] of Object.entries(sides)) fields[name] = side === survivor ? "survivor" : "merged";
  return {
    survivor_id: survivor === "left" ? leftId : rightId,
    merged_id: survivor === "left" ? rightId : leftId,
    fields,
  };
}
