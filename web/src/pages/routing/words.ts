/** Routing's values in words: a rule's condition, a count. */

import type { Condition } from "../../components/graph/definition";
import { conditionWords } from "../../components/graph/describe";

const isCondition = (c: unknown): c is Condition => typeof c === "object" && c !== null && !Array.isArray(c);

/** "country is one of US, CA and employee count ≥ 200"; JSON when it is not a condition the words know. */
export function ruleWhen(when: unknown): string {
  if (!isCondition(when)) return JSON.stringify(when);
  try {
    return conditionWords(when);
  } catch {
    return JSON.stringify(when);
  }
}

export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
