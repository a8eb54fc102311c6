/**
 * The comparisons a condition may make on its subject, in words, as the engine allows them
 * (src/engine/checker.ts): the field type's filter operators (GET /api/v1/objects), "within the
 * last / next N days" on dates, "changed / changed from / changed to" on the record's own fields
 * where a change triggered the run, and eq … between on a count. Pure.
 */
import type { FieldInfo, Operator } from "../../../../records/model.js";
import type { Subject } from "./subjects.js";

/** The records filter's operators (one list: records/model.ts), and the ones only conditions have. */
export type ConditionOp = Operator | "changed" | "changed_from" | "changed_to" | "within_last_days" | "within_next_days";

const WORDS: Record<ConditionOp, string> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  nin: "is none of",
  contains: "contains",
  starts_with: "starts with",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  between: "is between",
  is_set: "is set",
  is_not_set: "is empty",
  changed: "changed",
  changed_from: "changed from",
  changed_to: "changed to",
  within_last_days: "is within the last … days",
  within_next_days: "is within the next … days",
};

/** Dates read as "after" and "before", not "greater" and "less". */
const DATE_WORDS: Partial<Record<ConditionOp, string>> = {
  gt: "is after",
  gte: "is on or after",
  lt: "is before",
  lte: "is on or before",
};

export function opWords(op: string, field?: FieldInfo): string {
  const isDate = field?.type === "date" || field?.type === "datetime";
  return (isDate ? DATE_WORDS[op as ConditionOp] : undefined) ?? WORDS[op as ConditionOp] ?? op;
}

const COUNT_OPS: ConditionOp[] = ["eq", "neq", "gt", "gte", "lt", "lte", "between"];

/** `changes`: the condition is checked against the change that triggered (trigger filter, enrollment). */
export function operatorsFor(subject: Subject | undefined, changes: boolean): ConditionOp[] {
  if (!subject) return ["eq"];
  if (subject.kind === "count") return COUNT_OPS;
  const ops: ConditionOp[] = [...subject.field.operators];
  if (subject.field.type === "date" || subject.field.type === "datetime") ops.push("within_last_days", "within_next_days");
  if (changes && subject.own) ops.push("changed", "changed_from", "changed_to");
  return ops;
}

export const takesNoValue = (op: string) => op === "is_set" || op === "is_not_set" || op === "changed";
export const takesList = (op: string) => op === "in" || op === "nin";
export const takesDays = (op: string) => op === "within_last_days" || op === "within_next_days";
