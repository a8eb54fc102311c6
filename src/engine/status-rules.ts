/**
 * Status rules (issue 22, docs/data-quality.md "Status rules"): pure. A status rule says when a
 * record's status contradicts its data — "a lead `qualified` has an owner", "a deal `closed_won`
 * has an amount" — in the shape of a stage gate: while `field` holds one of `values`, `requires`
 * must hold. Unlike a gate it refuses nothing: it is read against the records as they stand, by
 * the status accuracy KPI (docs/kpis.md). `requires` is the condition language of workflows and
 * validation rules, limited to the record's own fields — no write facts (there is no write), no
 * counts, no review items, no fields of referenced records (the KPI reads the records alone).
 */

import type { ObjectName } from "../crm/fields.js";
import type { Issue, IssuePath } from "../crm/issues.js";
import { Checker, type FieldsOf } from "./checker.js";
import { type CompiledCondition, compileCondition } from "./conditions.js";
import type { Condition } from "./definition.js";
import type { GateValue } from "./rules.js";

export interface StatusRuleDefinition {
  name: string;
  /** Why the rule exists: shown in the list and beside each record that breaks it. */
  description: string;
  object: ObjectName;
  enabled: boolean;
  /** The status field (a lead's `status`, a deal's `stage`). */
  field: string;
  /** The statuses the rule is about. */
  values: GateValue[];
  /** What the record's data must say while its status is one of `values`. */
  requires: Condition;
}

export interface CompiledStatusRule {
  id: string;
  name: string;
  /** True when the record contradicts its status. */
  broken: CompiledCondition;
}

/** A record breaks the rule when its field holds one of the values and `requires` does not hold. */
export function compileStatusRule(id: string, def: StatusRuleDefinition): CompiledStatusRule {
  return {
    id,
    name: def.name,
    broken: compileCondition({ and: [{ field: def.field, op: "in", value: def.values }, { not: def.requires }] }),
  };
}

/** The rules a record (its fields plus id, created_at, updated_at) breaks, in the order given. */
export function contradictions(rules: readonly CompiledStatusRule[], record: Readonly<Record<string, unknown>>, nowMs: number) {
  const facts = { record, refs: {}, counts: {}, nowMs };
  return rules.filter((r) => r.broken.test(facts));
}

const WRITE_OPS = new Set(["changed", "changed_from", "changed_to", "is_new"]);

/** A status rule against the object's fields, each problem with its path. */
export function statusRuleIssues(def: StatusRuleDefinition, fieldsOf: FieldsOf): Issue[] {
  // writeFacts: counts and review items are refused as for validation rules; the write facts are refused below.
  const ck = new Checker(fieldsOf, def.object, { writeFacts: true });
  const f = ck.field(def.field, ["field"], def.object, false);
  if (f) for (const [i, v] of def.values.entries()) ck.value(f, v, ["values", i]);
  ck.condition(def.requires, ["requires"]);
  ownFieldsOnly(def.requires, ["requires"], ck);
  return ck.issues;
}

function ownFieldsOnly(c: Condition, path: IssuePath, ck: Checker): void {
  if ("and" in c) {
    for (const [i, x] of c.and.entries()) ownFieldsOnly(x, [...path, "and", i], ck);
    return;
  }
  if ("or" in c) {
    for (const [i, x] of c.or.entries()) ownFieldsOnly(x, [...path, "or", i], ck);
    return;
  }
  if ("not" in c) {
    ownFieldsOnly(c.not, [...path, "not"], ck);
    return;
  }
  if (WRITE_OPS.has(c.op))
    ck.push([...path, "op"], "invalid_value", `a status rule reads the record as it stands, not a write: ${c.op} does not apply`);
  if (c.field?.startsWith("$previous.") || c.field?.includes("."))
    ck.push([...path, "field"], "invalid_value", "a status rule compares the record's own fields, not earlier or referenced ones");
}
