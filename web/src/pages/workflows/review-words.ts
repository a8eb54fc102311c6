/** A workflow's review status in words: "Due in 12 days", "Due today", "Overdue since 15 Apr 2026". */
import type { Schemas } from "../../api/client";

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });

export function reviewWords(review: Schemas["ReviewStatus"] | null | undefined): string {
  if (!review) return "No review yet (set when first published)";
  if (review.overdue) return `Overdue since ${day(review.next_review_at)}`;
  if (review.due_in_days === 0) return "Due today";
  return `Due in ${review.due_in_days} day${review.due_in_days === 1 ? "" : "s"}`;
}

export const intervalWords = (months: number) =>
  months === 3 ? "quarterly" : months === 12 ? "yearly" : months === 1 ? "monthly" : `every ${months} months`;

/** A field value as a person reads it in an override: text as is, nothing as "empty". */
export function valueWords(value: unknown): string {
  if (value === null || value === undefined || value === "") return "empty";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export { day as reviewDay };
