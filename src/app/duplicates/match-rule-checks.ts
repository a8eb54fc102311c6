/**
 * A match rule against the workspace (docs/data-quality.md): every compared field is a field of
 * the rule's object (custom fields included), named once; `merge_above` goes with action merge
 * and is at least the threshold. Each problem names its path.
 */
import type { FieldDef } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import type { MatchRuleSpec } from "./match-rule-schemas.js";

export function matchRuleIssues(rule: MatchRuleSpec, fields: readonly FieldDef[]): Issue[] {
  const issues: Issue[] = [];
  const names = fields.map((f) => f.name);
  const seen = new Set<string>();
  rule.fields.forEach((f, i) => {
    if (!names.includes(f.field))
      issues.push({
        path: ["fields", i, "field"],
        code: "unknown_field",
        message: `${rule.object} has no field "${f.field}"`,
        expected: names,
      });
    else if (seen.has(f.field))
      issues.push({ path: ["fields", i, "field"], code: "invalid_value", message: `"${f.field}" is compared twice` });
    seen.add(f.field);
  });
  if (rule.fields.every((f) => f.weight === 0))
    issues.push({ path: ["fields"], code: "invalid_value", message: "at least one compared field needs a weight above 0" });
  if (rule.action === "merge" && rule.merge_above === null)
    issues.push({ path: ["merge_above"], code: "required", message: "a rule that merges says above which score (merge_above)" });
  if (rule.action !== "merge" && rule.merge_above !== null)
    issues.push({ path: ["merge_above"], code: "invalid_value", message: "merge_above goes with action merge only" });
  if (rule.merge_above !== null && rule.merge_above < rule.threshold)
    issues.push({ path: ["merge_above"], code: "too_small", message: `merge_above is at least the threshold (${rule.threshold})` });
  if (new Set(rule.keys).size !== rule.keys.length) issues.push({ path: ["keys"], code: "invalid_value", message: "a key is named twice" });
  return issues;
}
