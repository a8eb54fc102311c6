/**
 * Similarity of two compared values, in [0, 1] (1 = the same). Levenshtein distance comes from
 * `fastest-levenshtein` (the stack's choice); Jaro-Winkler is small enough to own, and its
 * properties are tested (test/crm/dedupe/similarity.test.ts). Pure.
 */
import { distance } from "fastest-levenshtein";

export const SIMILARITY_KINDS = ["exact", "levenshtein", "jaro_winkler"] as const;
export type SimilarityKind = (typeof SIMILARITY_KINDS)[number];

/** 1 − edit distance / the longer length: "jon smith" ~ "john smith" = 0.9. */
export function levenshteinRatio(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** Jaro similarity: matching characters within a window, and their transpositions. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler: Jaro raised for a common prefix of up to 4 characters (scaling 0.1). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return Math.min(1, j + prefix * 0.1 * (1 - j));
}

export const SIMILARITIES: { [K in SimilarityKind]: (a: string, b: string) => number } = {
  exact: (a, b) => (a === b ? 1 : 0),
  levenshtein: levenshteinRatio,
  jaro_winkler: jaroWinkler,
};
