/**
 * A workflow condition in words a rep reads without knowing the JSON format: "score > 40 and
 * employee_count > 10", "a call activity on this record". Used where a person is told what a run
 * waits for (the record page's Automation panel); the run log keeps the engine's exact `why`.
 */
import type { Condition, LeafCondition } from "../../engine/definition.js";

const OPS: Record<LeafCondition["op"], string> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  nin: "is none of",
  contains: "contains",
  starts_with: "starts with",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  between: "is between",
  is_set: "is set",
  is_not_set: "is empty",
  changed: "changed",
  changed_from: "changed from",
  changed_to: "changed to",
  within_last_days: "is within the last",
  within_next_days: "is within the next",
  is_new: "is new",
};

const NO_VALUE: ReadonlySet<LeafCondition["op"]> = new Set(["is_set", "is_not_set", "changed", "is_new"]);

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map(value).join(v.length === 2 ? " and " : ", ");
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** "a call activity", when the counted records are narrowed by one `type is …` (the common case). */
function countedThing(count: NonNullable<LeafCondition["count"]>): string {
  const where = count.where as Condition | undefined;
  if (where && "op" in where && where.op === "eq" && where.field === "type" && typeof where.value === "string")
    return `${where.value} ${count.object}`;
  return where ? `${count.object} where ${conditionInWords(where)}` : count.object;
}

function leafInWords(leaf: LeafCondition): string {
  if (leaf.count) {
    const thing = countedThing(leaf.count);
    const on = leaf.count.of ? `on the record's ${leaf.count.of}` : "on this record";
    const n = typeof leaf.value === "number" ? leaf.value : Number.NaN;
    // "at least one" is how a person says count ≥ 1 / count > 0.
    if ((leaf.op === "gte" && n === 1) || (leaf.op === "gt" && n === 0)) return `${/^[aeiou]/i.test(thing) ? "an" : "a"} ${thing} ${on}`;
    if (leaf.op === "gte") return `at least ${n} × ${thing} ${on}`;
    if (leaf.op === "eq" && n === 0) return `no ${thing} ${on}`;
    return `the number of ${thing} ${on} ${OPS[leaf.op]} ${value(leaf.value)}`;
  }
  const days = leaf.op === "within_last_days" || leaf.op === "within_next_days" ? " days" : "";
  const shown = NO_VALUE.has(leaf.op) ? "" : ` ${value(leaf.value)}${days}`;
  if (leaf.op === "is_new") return "the record is new";
  const field = leaf.field?.startsWith("$previous.") ? `the previous ${leaf.field.slice("$previous.".length)}` : (leaf.field ?? "?");
  return `${field} ${OPS[leaf.op]}${shown}`;
}

export function conditionInWords(condition: Condition): string {
  if ("and" in condition) return condition.and.map(grouped).join(" and ");
  if ("or" in condition) return condition.or.map(grouped).join(" or ");
  if ("not" in condition) return `not (${conditionInWords(condition.not)})`;
  return leafInWords(condition);
}

/** A nested group keeps its parentheses so that "a and (b or c)" reads as written. */
function grouped(c: Condition): string {
  return "and" in c || "or" in c ? `(${conditionInWords(c)})` : conditionInWords(c);
}
