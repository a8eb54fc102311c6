/**
 * An AI model against the workspace (docs/ai.md): its target is a text or choice field of its
 * object, the fields it reads exist and are of a kind it can read, and none is the target itself
 * (a model that reads its own answer learns nothing). A conversion model's target is a choice
 * field whose `converted` and `lost` values are options of it, neither empty, none in both; a
 * classifier has neither, nor activity types. Each problem names its path.
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
  if (spec.kind === "conversion") conversionIssues(spec, byName, fields, issues);
  else {
    check(["target"], spec.target, TARGET_TYPES, "a model predicts a text or choice field");
    for (const key of ["converted", "lost", "activity_types"] as const)
      if (spec[key].length > 0)
        issues.push({
          path: [key],
          code: "invalid_value",
          message: `${key} belongs to conversion models; a classifier predicts the field's value`,
        });
  }
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
  if (read.length === 0 && spec.activity_types.length === 0)
    issues.push({
      path: ["text_fields"],
      code: "required",
      message:
        spec.kind === "conversion"
          ? "a model reads at least one field or activity type (text_fields, value_fields or activity_types)"
          : "a model reads at least one field (text_fields or value_fields)",
    });
  spec.activity_types.forEach((t, i) => {
    if (spec.activity_types.indexOf(t) !== i)
      issues.push({ path: ["activity_types", i], code: "invalid_value", message: `"${t}" is read twice` });
  });
  return issues;
}

function conversionIssues(spec: AiModelSpec, byName: ReadonlyMap<string, FieldDef>, fields: readonly FieldDef[], issues: Issue[]) {
  const choices = fields.filter((f) => f.type === "enum").map((f) => f.name);
  const target = byName.get(spec.target);
  if (!target) {
    issues.push({ path: ["target"], code: "unknown_field", message: `${spec.object} has no field "${spec.target}"`, expected: choices });
    return;
  }
  if (target.type !== "enum") {
    issues.push({
      path: ["target"],
      code: "invalid_value",
      message: `"${spec.target}" is a ${target.type} field; a conversion model reads its outcome from a choice field`,
      expected: choices,
    });
    return;
  }
  const options = target.options ?? [];
  for (const key of ["converted", "lost"] as const) {
    if (spec[key].length === 0)
      issues.push({
        path: [key],
        code: "required",
        message: `name the ${spec.target} values that mean ${key === "converted" ? "the record converted" : "it did not convert"}`,
        expected: options,
      });
    spec[key].forEach((v, i) => {
      if (!options.includes(v))
        issues.push({ path: [key, i], code: "not_in_options", message: `"${v}" is not a value of ${spec.target}`, expected: options });
      else if (key === "lost" && spec.converted.includes(v))
        issues.push({ path: [key, i], code: "invalid_value", message: `"${v}" cannot mean both converted and lost` });
      else if (spec[key].indexOf(v) !== i) issues.push({ path: [key, i], code: "invalid_value", message: `"${v}" is named twice` });
    });
  }
}
