/**
 * Review queue items in words: what kind of problem, and the facts of its `detail` as one line
 * ("92% alike · same email, phone · name 88%"). Pure and defensive — detail is whatever the rule,
 * the matcher or the workflow recorded — so the page and its tests read the same.
 */
import type { ReviewKind, ReviewStatus } from "../../api/review-queue";

export const KIND_WORDS: Record<ReviewKind, string> = {
  duplicate: "Possible duplicate",
  rule: "Rule warning",
  format: "Format to check",
  required: "Missing field",
  manual: "Flagged for review",
};

export const STATUS_WORDS: Record<ReviewStatus, string> = { open: "Open", resolved: "Resolved", dismissed: "Dismissed" };

const KEY_WORDS: Record<string, string> = {
  email: "email",
  phone: "phone",
  domain: "email domain",
  company: "company",
  domain_company: "domain and company",
  surname: "surname sound",
};

const percent = (n: number) => `${Math.round(n * 100)}%`;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The facts of an item's detail in one line, or "" when there is nothing to add to its reason. */
export function detailLine(kind: ReviewKind, detail: unknown): string {
  if (!isRecord(detail)) return "";
  const parts: string[] = [];
  if (kind === "duplicate") {
    if (typeof detail.score === "number") parts.push(`${percent(detail.score)} alike`);
    if (Array.isArray(detail.keys) && detail.keys.length > 0)
      parts.push(`same ${detail.keys.map((k) => KEY_WORDS[String(k)] ?? String(k)).join(", ")}`);
    if (Array.isArray(detail.fields)) {
      const fields = detail.fields
        .filter(isRecord)
        .filter((f) => typeof f.name === "string" && typeof f.similarity === "number")
        .map((f) => `${f.name} ${percent(f.similarity as number)}`);
      if (fields.length > 0) parts.push(fields.join(", "));
    }
  } else {
    const rule =
      typeof detail.ruleName === "string" ? detail.ruleName : typeof detail.rule_name === "string" ? detail.rule_name : undefined;
    if (rule) parts.push(`rule “${rule}”`);
    if (typeof detail.field === "string") parts.push(`field ${detail.field}`);
  }
  return parts.join(" · ");
}
