/**
 * An AI model against the workspace (docs/ai.md): its target is a text or choice field of its
 * object, the fields it reads exist and are of a kind it can read, and none is the target itself
 * (a model that reads its own answer learns nothing). Each problem names its path.
 */
import type { FieldDef, FieldType } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import type { AiModelSpec } from "./ai-model-schemas.js";

const TARGET_TYPES: readonly FieldType[] = ["string", "enum"];
const TEXT_TYPES: readonly FieldType[] = ["string", "text"];
const VALUE_TYPES: readonly FieldType[] = ["string", "enum", "boolean", "integer", "number"];

export function aiModelIssues(spec: AiModelSpec, fields: readonly FieldDef[]): Issue[] {
  const issues: Issue[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const check = (path: Array<string | number>, name: string, types: readonly FieldType[], what: string) => {
    const f = byName.get(name);
    const fitting = fields.filter((x) => types.includes(x.type)).map((x) => x.name);
    if (!f) issues.push({ path, code: "unknown_field", message: `${spec.object} has no field "${name}"`, expected: fitting });
    else if (!types.includes(f.type))
      issues.push({ path, code: "invalid_value", message: `"${name}" is a ${f.type} field; ${what}`, expected: fitting });
  };
  check(["target"], spec.target, TARGET_TYPES, "a model predicts a text or choice field");
  for (const [i, n] of spec.text_fields.entries()) check(["text_fields", i], n, TEXT_TYPES, "words are read from text fields");
  for (const [i, n] of spec.value_fields.entries())
    check(["value_fields", i], n, VALUE_TYPES, "values are read from text, choice, yes/no or number fields");

  const read = [...spec.text_fields, ...spec.value_fields];
  read.forEach((n, i) => {
    if (n === spec.target) {
      const path = i < spec.text_fields.length ? ["text_fields", i] : ["value_fields", i - spec.text_fields.length];
      issues.push({ path, code: "invalid_value", message: `"${n}" is what the model predicts: it cannot also read it` });
    } else if (read.indexOf(n) !== i) {
      const path = i < spec.text_fields.length ? ["text_fields", i] : ["value_fields", i - spec.text_fields.length];
      issues.push({ path, code: "invalid_value", message: `"${n}" is read twice` });
    }
  });
  if (read.length === 0)
    issues.push({ path: ["text_fields"], code: "required", message: "a model reads at least one field (text_fields or value_fields)" });
  return issues;
}
