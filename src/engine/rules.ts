/**
 * Validation rules and stage gates (issue 20; docs/data-quality.md "Validation rules", "Stage
 * gates"): pure. A rule says when a write is INVALID, in the condition language plus the write's
 * own facts (`is_new`, `$previous.<field>`, `changed` over the write's changes); a gate says what
 * must hold when a field moves to a value, and is compiled into the same shape — "the write moves
 * `field` to one of `to`, and `requires` does not hold". Compiled once per rule version into
 * closures (conditions.ts), never interpreted per write.
 */
import type { FieldDef, ObjectName } from "../crm/fields.js";
import type { Issue } from "../crm/issues.js";
import { Checker, type FieldsOf } from "./checker.js";
import { type CompiledCondition, compileCondition, type Facts } from "./conditions.js";
import type { Condition } from "./definition.js";

export const RULE_ACTIONS = ["refuse", "warn"] as const;
/** `refuse`: the write is refused (422) and nothing is written; `warn`: it goes through and the record is queued for review. */
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const RULE_KINDS = ["rule", "gate"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A value a gate's field moves to (an option of an enum, a boolean, a number, a string). */
export type GateValue = string | number | boolean;

interface RuleCommon {
  name: string;
  /** Why the rule exists: shown in the list, the review queue and the audit. */
  description: string;
  object: ObjectName;
  action: RuleAction;
  enabled: boolean;
  /** Shown to the person next to the field, as plain text (never a template). */
  message: string;
}

/** A validation rule: the write is invalid when `when` holds; the message is shown on `field`. */
export interface PlainRuleDefinition extends RuleCommon {
  kind: "rule";
  when: Condition;
  field: string;
}

/** A stage gate: a write that moves `field` to one of `to` needs `requires` to hold; the message is shown on `shown_on` (default `field`). */
export interface GateDefinition extends RuleCommon {
  kind: "gate";
  field: string;
  to: GateValue[];
  requires: Condition;
  shown_on?: string | undefined;
}

export type RuleDefinition = PlainRuleDefinition | GateDefinition;

/** The condition under which a write breaks the rule. A gate: the field changed (a create sets it) to one of `to`, and `requires` fails. */
export function invalidWhen(def: RuleDefinition): Condition {
  switch (def.kind) {
    case "rule":
      return def.when;
    case "gate":
      return {
        and: [{ field: def.field, op: "changed" }, { field: def.field, op: "in", value: def.to }, { not: def.requires }],
      };
  }
}

/** The field a rule's message is shown on. */
export function shownOn(def: RuleDefinition): string {
  return def.kind === "gate" ? (def.shown_on ?? def.field) : def.field;
}

export interface CompiledRule {
  id: string;
  kind: RuleKind;
  version: number;
  name: string;
  action: RuleAction;
  field: string;
  message: string;
  /** True when the write breaks the rule. */
  broken: CompiledCondition;
}

export function compileRule(id: string, version: number, def: RuleDefinition): CompiledRule {
  return {
    id,
    kind: def.kind,
    version,
    name: def.name,
    action: def.action,
    field: shownOn(def),
    message: def.message,
    broken: compileCondition(invalidWhen(def)),
  };
}

/** The rules a write breaks, in the order given. */
export function brokenRules(rules: readonly CompiledRule[], facts: Facts): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const r of rules) if (r.broken.test(facts)) out.push(r);
  return out;
}

/** The reference fields the rules read through (`company_id.industry`): what the write path loads. */
export function refsNeeded(rules: readonly CompiledRule[]): string[] {
  const refs = new Set<string>();
  for (const r of rules) for (const ref of r.broken.needs.refs) refs.add(ref);
  return [...refs];
}

/**
 * A rule against the object's fields, each problem with its path: the conditions with the
 * workflow checker (write facts allowed, counts not), the fields named, and a gate's `to` values
 * among the field's values (an enum's options).
 */
export function ruleIssues(def: RuleDefinition, fieldsOf: FieldsOf): Issue[] {
  const ck = new Checker(fieldsOf, def.object, { writeFacts: true });
  const own = (name: string, path: Array<string | number>): FieldDef | undefined => ck.field(name, path, def.object, false);
  switch (def.kind) {
    case "rule":
      ck.condition(def.when, ["when"]);
      own(def.field, ["field"]);
      break;
    case "gate": {
      const f = own(def.field, ["field"]);
      if (f?.managed)
        ck.push(["field"], "managed_field", `"${f.name}" is maintained by Handoff; a gate watches a field people and workflows write`);
      if (f) for (const [i, v] of def.to.entries()) ck.value(f, v, ["to", i]);
      ck.condition(def.requires, ["requires"]);
      if (def.shown_on !== undefined) own(def.shown_on, ["shown_on"]);
      break;
    }
  }
  return ck.issues;
}
