/**
 * The rule editor's pure part: a rule as the API takes it back (PATCH sends every rule), a new
 * rule's stable id from its name, the list with one rule replaced, added or removed, and the
 * server's problems turned into the dotted paths the builder's condition editor names its
 * controls by ("rules[0].when.and[1].field" → "rules.0.when.and.1.field").
 */

import { ApiError } from "../../api/client";
import type { Condition } from "../../components/graph/definition";
import type { Problem } from "../builder/model/problems";
import type { Rule, Target } from "./data";

export interface RuleInput {
  id?: string;
  name: string;
  when: Condition;
  target: Target;
}

/** A stored rule as the PATCH takes it: its id kept, so the reason records keep naming it. */
export const ruleInput = (r: Rule): RuleInput => ({ id: r.id, name: r.name, when: r.when as Condition, target: r.target });

const ID_RULE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * An id for a new rule from its name ("Industry is Healthcare" → "industry-is-healthcare"), made
 * unique among the others. The server would number a rule without one by its position, which can
 * repeat an id left by a rule deleted earlier ("rule-3" twice) and refuse the save.
 */
export function newRuleId(name: string, taken: readonly string[]): string {
  const slug =
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50) || "rule";
  const base = ID_RULE.test(slug) ? slug : "rule";
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** The rules with the one at `index` replaced, or appended when `index` is the length. */
export function withRule(rules: readonly Rule[], index: number, rule: RuleInput): RuleInput[] {
  const out = rules.map(ruleInput);
  if (index >= out.length) return [...out, rule];
  out[index] = rule;
  return out;
}

export const withoutRule = (rules: readonly Rule[], index: number): RuleInput[] => rules.map(ruleInput).filter((_, i) => i !== index);

/** "rules[0].when.and[1].field" → "rules.0.when.and.1.field", as the condition editor's controls are named. */
export const dottedPath = (path: string): string => path.replace(/\[(\d+)\]/g, ".$1");

/** The server's problems of a refused save, with dotted paths (for the condition editor's kit). */
export function dottedProblems(error: unknown): Problem[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem?.errors ?? []).map((e) => ({
    path: dottedPath(e.path),
    code: e.code,
    message: e.message,
    ...(typeof e.expected === "string" ? { expected: e.expected } : {}),
  }));
}

/** Whether a refusal says a user, team or queue it names does not exist (the pickers' lists are stale). */
export const namesSomethingGone = (error: unknown): boolean =>
  error instanceof ApiError && (error.problem?.errors ?? []).some((e) => e.code === "not_found");
