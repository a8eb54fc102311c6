/**
 * Scoring a candidate pair (docs/data-quality.md, "Matching and duplicates"): each compared field's
 * similarity, weighted. A field empty on both sides says nothing and is left out; a field set on
 * one side only counts as a mismatch at half its weight (a missing phone is weaker evidence than
 * a different one). Pure.
 */
import { foldText, normaliseCompanyName, normaliseDomain, normaliseEmail, normalisePhone } from "./normalise.js";
import { SIMILARITIES, type SimilarityKind } from "./similarity.js";

export interface CompareField {
  field: string;
  weight: number;
  similarity: SimilarityKind;
}

export interface FieldMatch {
  name: string;
  similarity: number;
}

export interface PairScore {
  /** In [0, 1], rounded to 4 places. */
  score: number;
  /** Every compared field set on both sides, with its similarity. */
  fields: FieldMatch[];
}

export interface Side {
  data: Readonly<Record<string, unknown>>;
  /** The country national phone numbers are read in. */
  country: string | undefined;
}

/** The form a field's value is compared in. */
export function comparable(field: string, value: unknown, country: string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  let out: string | undefined;
  if (field === "email") out = normaliseEmail(value);
  else if (field === "phone") out = normalisePhone(value, country) ?? (typeof value === "string" ? value.replace(/\D/g, "") : undefined);
  else if (field === "domain") out = normaliseDomain(value);
  else if (field === "name" || field === "company_name") out = normaliseCompanyName(value);
  else if (typeof value === "string") out = foldText(value);
  else if (typeof value === "number" || typeof value === "boolean") out = String(value);
  return out === undefined || out.length === 0 ? undefined : out;
}

export function scorePair(fields: readonly CompareField[], a: Side, b: Side): PairScore {
  let total = 0;
  let weighted = 0;
  const matched: FieldMatch[] = [];
  for (const f of fields) {
    if (f.weight <= 0) continue;
    const x = comparable(f.field, a.data[f.field], a.country);
    const y = comparable(f.field, b.data[f.field], b.country);
    if (x === undefined && y === undefined) continue;
    if (x === undefined || y === undefined) {
      total += f.weight / 2;
      continue;
    }
    const s = SIMILARITIES[f.similarity](x, y);
    total += f.weight;
    weighted += f.weight * s;
    matched.push({ name: f.field, similarity: Math.round(s * 10000) / 10000 });
  }
  return { score: total === 0 ? 0 : Math.round((weighted / total) * 10000) / 10000, fields: matched };
}
