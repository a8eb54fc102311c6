/** The Matching pages' words: keys, similarities and actions as a RevOps admin reads them. */
import type { MatchAction, MatchKey, MatchRule, Similarity } from "./matching-data";

export const KEY_WORDS: Record<MatchKey, { label: string; hint: string }> = {
  email: { label: "Email", hint: "the same email, any case" },
  email_domain: { label: "Email domain", hint: "the same company domain (free mailboxes like gmail.com left out)" },
  phone: { label: "Phone", hint: "the same number, however it was written" },
  company: { label: "Company", hint: "domain + company name without legal forms (Inc, Ltd, GmbH)" },
  surname_phonetic: { label: "Surname sound", hint: "surnames that sound alike (Smith, Smyth) + the first initial" },
};

export const SIMILARITY_WORDS: Record<Similarity, string> = {
  exact: "Exact",
  levenshtein: "Typos (Levenshtein)",
  jaro_winkler: "Names (Jaro-Winkler)",
};

export const ACTION_WORDS: Record<MatchAction, { label: string; hint: string }> = {
  allow: { label: "Allow", hint: "do nothing on write; the rule is kept for scans" },
  block: { label: "Block", hint: "refuse the write, naming the existing record" },
  alert: { label: "Alert", hint: "write it and queue the pair for review" },
  merge: { label: "Merge", hint: "merge automatically above a second score; queue the pairs between" },
};

export const percent = (score: number) => `${Math.round(score * 100)} %`;

/** "Alert at 75 %", "Merge above 95 % (alert from 80 %)". */
export function actionLine(rule: Pick<MatchRule, "action" | "threshold" | "merge_above">): string {
  if (rule.action === "merge" && rule.merge_above !== null)
    return `Merge above ${percent(rule.merge_above)} (review from ${percent(rule.threshold)})`;
  return `${ACTION_WORDS[rule.action].label} at ${percent(rule.threshold)}`;
}
