/**
 * A scoring model checked against the workspace (docs/scoring.md "Models"), every problem with
 * its path: output fields that are number fields of the object (and not managed, and distinct);
 * fit conditions over the record and its references through the workflow `Checker`; activity
 * rules on known activity types, their conditions over the activity; keys unique; rules that do
 * not read the model's own output fields (a score that moved itself would loop). Conditions are
 * limited to what a record's stored state decides: no `changed*` (there is no triggering change),
 * no `within_*_days` (a fit that moved with the clock alone would be neither stored nor
 * reproducible), no counts or review items (they change without an event on the record).
 */
import type { ObjectName } from "../../crm/fields.js";
import type { Issue, IssuePath } from "../../crm/issues.js";
import { ACTIVITY_TYPES } from "../../crm/objects.js";
import { Checker, type FieldsOf } from "../checker.js";
import type { Condition } from "../definition.js";
import { outputFields, type ScoreModelDefinition } from "./definition.js";

const REFUSED_OPS = new Set(["changed", "changed_from", "changed_to", "within_last_days", "within_next_days", "is_new"]);

/** The leaves of a condition with their paths. */
function leaves(c: Condition, path: IssuePath, out: Array<{ leaf: Condition; path: IssuePath }> = []) {
  if ("and" in c) for (const [i, x] of c.and.entries()) leaves(x, [...path, "and", i], out);
  else if ("or" in c) for (const [i, x] of c.or.entries()) leaves(x, [...path, "or", i], out);
  else if ("not" in c) leaves(c.not, [...path, "not"], out);
  else out.push({ leaf: c, path });
  return out;
}

/** The fields a condition reads, as written (`company.industry` reads `company`'s reference too). */
export function fieldsRead(c: Condition): string[] {
  return leaves(c, []).flatMap(({ leaf }) => ("field" in leaf && typeof leaf.field === "string" ? [leaf.field] : []));
}

function scoringLeaves(ck: Checker, c: Condition, path: IssuePath, object: ObjectName, own: readonly string[]) {
  let usable = true;
  for (const { leaf, path: p } of leaves(c, path)) {
    if ("and" in leaf || "or" in leaf || "not" in leaf) continue;
    if (REFUSED_OPS.has(leaf.op)) {
      ck.push([...p, "op"], "not_in_options", `scoring conditions compare stored values; "${leaf.op}" does not apply here`);
      usable = false;
    }
    if (leaf.count || leaf.review_items) {
      ck.push(p, "invalid_value", "scoring conditions compare fields of the record and its references, not counts or review items");
      usable = false;
    }
    const field = leaf.field ?? "";
    if (own.includes(field) || own.includes(field.split(".")[0] ?? "")) {
      ck.push([...p, "field"], "invalid_value", `"${field}" is written by this model; a rule may not read its own score`);
      usable = false;
    }
  }
  if (usable) ck.condition(c, path, object);
}

export function scoreModelIssues(def: ScoreModelDefinition, fieldsOf: FieldsOf): Issue[] {
  const ck = new Checker(fieldsOf, def.object);
  const own = outputFields(def);
  for (const [part, name] of Object.entries(def.fields)) {
    if (name === undefined) continue;
    const f = ck.field(name, ["fields", part], def.object, false);
    if (!f) continue;
    if (f.type !== "integer" && f.type !== "number")
      ck.push(["fields", part], "invalid_value", `"${name}" is a ${f.type} field of ${def.object}; a score is written to a number field`);
    else if (f.managed) ck.push(["fields", part], "managed_field", `"${name}" is maintained by Handoff`);
  }
  if (new Set(own).size !== own.length) ck.push(["fields"], "invalid_value", "total, fit and engagement are written to different fields");
  if (def.fields.fit !== undefined && !def.fit) ck.push(["fields", "fit"], "invalid_value", "a fit field needs fit groups");
  if (def.fields.engagement !== undefined && !def.engagement)
    ck.push(["fields", "engagement"], "invalid_value", "an engagement field needs engagement groups");
  const groups = [...(def.fit?.groups ?? []), ...(def.engagement?.groups ?? [])];
  if (groups.length === 0) ck.push([], "required", "a model needs at least one fit or engagement group");
  const groupKeys = new Set<string>();
  const ruleKeys = new Set<string>();
  const seen = (set: Set<string>, key: string, path: IssuePath, what: string) => {
    if (set.has(key)) ck.push(path, "invalid_value", `${what} "${key}" is used twice; keys name ${what}s in the ledger`);
    set.add(key);
  };
  for (const [gi, g] of (def.fit?.groups ?? []).entries()) {
    seen(groupKeys, g.key, ["fit", "groups", gi, "key"], "group");
    for (const [ri, r] of g.rules.entries()) {
      seen(ruleKeys, r.key, ["fit", "groups", gi, "rules", ri, "key"], "rule");
      if (r.when) scoringLeaves(ck, r.when, ["fit", "groups", gi, "rules", ri, "when"], def.object, own);
    }
  }
  for (const [gi, g] of (def.engagement?.groups ?? []).entries()) {
    seen(groupKeys, g.key, ["engagement", "groups", gi, "key"], "group");
    for (const [ri, r] of g.rules.entries()) {
      const path = ["engagement", "groups", gi, "rules", ri];
      seen(ruleKeys, r.key, [...path, "key"], "rule");
      if ("activity" in r.on) {
        for (const [ti, t] of r.on.activity.entries())
          if (!(ACTIVITY_TYPES as readonly string[]).includes(t))
            ck.push([...path, "on", "activity", ti], "not_in_options", `no activity type "${t}"`, ACTIVITY_TYPES);
        if (r.when) scoringLeaves(ck, r.when, [...path, "when"], "activity", []);
      } else if (r.when) scoringLeaves(ck, r.when, [...path, "when"], def.object, own);
    }
  }
  return ck.issues;
}
