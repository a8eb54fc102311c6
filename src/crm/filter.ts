/**
 * Record filters: a tree of AND / OR groups over field conditions. Field names are checked
 * against the object's fields (an allow-list) and values against the field's type here, so
 * the store only ever receives known fields and typed values — never SQL text.
 */
import { z } from "zod";
import { type FieldDef, SYSTEM_FIELDS } from "./fields.js";
import type { Issue, IssuePath } from "./issues.js";
import { checkValue } from "./values.js";

export const FILTER_OPERATORS = [
  "eq",
  "neq",
  "in",
  "nin",
  "contains",
  "starts_with",
  "gt",
  "gte",
  "lt",
  "lte",
  "between",
  "is_set",
  "is_not_set",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type Condition = { field: string; op: FilterOperator; value?: unknown };
export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | Condition;

/** A condition whose field and value were checked; what the store compiles. */
export type CheckedCondition = { field: FieldDef; op: FilterOperator; value: unknown };
export type CheckedFilter = { and: CheckedFilter[] } | { or: CheckedFilter[] } | CheckedCondition;

const conditionSchema = z.object({ field: z.string().min(1), op: z.enum(FILTER_OPERATORS), value: z.unknown().optional() }).strict();
export const filterSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(filterSchema).min(1).max(50) }).strict(),
    z.object({ or: z.array(filterSchema).min(1).max(50) }).strict(),
    conditionSchema,
  ]),
);

const ORDERED = new Set(["integer", "number", "date", "datetime", "string", "email"]);
const TEXTUAL = new Set(["string", "text", "email", "phone", "url", "enum", "reference"]);

/** Which operators a field type supports. */
export function operatorsFor(field: FieldDef): FilterOperator[] {
  if (field.type === "json") return ["is_set", "is_not_set"];
  const ops: FilterOperator[] = ["eq", "neq", "in", "nin", "is_set", "is_not_set"];
  if (field.type === "boolean") return ["eq", "neq", "is_set", "is_not_set"];
  if (ORDERED.has(field.type)) ops.push("gt", "gte", "lt", "lte", "between");
  if (TEXTUAL.has(field.type)) ops.push("contains", "starts_with");
  return ops;
}

export const MAX_FILTER_DEPTH = 6;

/** Fields a filter or sort may name: the object's fields plus id / created_at / updated_at. */
export function filterableFields(fields: readonly FieldDef[]): FieldDef[] {
  return [...SYSTEM_FIELDS, ...fields];
}

function checkOperand(field: FieldDef, raw: unknown, path: IssuePath, issues: Issue[]): unknown {
  // `contains` / `starts_with` take a plain substring whatever the field's format.
  const result = checkValue(field, raw);
  if (!result.ok) {
    issues.push({ path, ...result.issue });
    return undefined;
  }
  return result.value;
}

function checkCondition(cond: Condition, fields: Map<string, FieldDef>, path: IssuePath, issues: Issue[]): CheckedCondition | undefined {
  const field = fields.get(cond.field);
  if (!field) {
    issues.push({
      path: [...path, "field"],
      code: "unknown_field",
      message: `unknown field "${cond.field}"`,
      expected: [...fields.keys()],
    });
    return undefined;
  }
  const allowed = operatorsFor(field);
  if (!allowed.includes(cond.op)) {
    issues.push({
      path: [...path, "op"],
      code: "not_in_options",
      message: `operator "${cond.op}" does not apply to ${field.type} field "${field.name}"; allowed: ${allowed.join(", ")}`,
      expected: allowed,
    });
    return undefined;
  }
  const valuePath = [...path, "value"];
  const before = issues.length;
  let value: unknown;
  switch (cond.op) {
    case "is_set":
    case "is_not_set":
      value = null;
      break;
    case "contains":
    case "starts_with":
      if (typeof cond.value !== "string" || cond.value.length === 0) {
        issues.push({ path: valuePath, code: "invalid_type", message: "expected a non-empty string", expected: "string" });
      }
      value = cond.value;
      break;
    case "in":
    case "nin":
      if (!Array.isArray(cond.value) || cond.value.length === 0 || cond.value.length > 500) {
        issues.push({ path: valuePath, code: "invalid_type", message: "expected a list of 1–500 values", expected: "array" });
      } else {
        value = cond.value.map((v, i) => checkOperand(field, v, [...valuePath, i], issues));
      }
      break;
    case "between":
      if (!Array.isArray(cond.value) || cond.value.length !== 2) {
        issues.push({ path: valuePath, code: "invalid_type", message: "expected [low, high]", expected: "array of 2" });
      } else {
        value = cond.value.map((v, i) => checkOperand(field, v, [...valuePath, i], issues));
      }
      break;
    default:
      if (cond.value === undefined || cond.value === null) {
        issues.push({ path: valuePath, code: "required", message: `operator "${cond.op}" needs a value` });
      } else {
        value = checkOperand(field, cond.value, valuePath, issues);
      }
  }
  return issues.length === before ? { field, op: cond.op, value } : undefined;
}

/** Checks a parsed filter tree against the object's fields; returns it typed, or the issues. */
export function checkFilter(
  node: FilterNode,
  fields: readonly FieldDef[],
  path: IssuePath = ["filter"],
): { ok: true; filter: CheckedFilter } | { ok: false; issues: Issue[] } {
  const byName = new Map(filterableFields(fields).map((f) => [f.name, f]));
  const issues: Issue[] = [];
  const walk = (n: FilterNode, p: IssuePath, depth: number): CheckedFilter | undefined => {
    if (depth > MAX_FILTER_DEPTH) {
      issues.push({ path: p, code: "invalid_value", message: `filters nest at most ${MAX_FILTER_DEPTH} levels` });
      return undefined;
    }
    if ("and" in n) {
      const parts = n.and.map((c, i) => walk(c, [...p, "and", i], depth + 1));
      return { and: parts.filter((x): x is CheckedFilter => x !== undefined) };
    }
    if ("or" in n) {
      const parts = n.or.map((c, i) => walk(c, [...p, "or", i], depth + 1));
      return { or: parts.filter((x): x is CheckedFilter => x !== undefined) };
    }
    return checkCondition(n, byName, p, issues);
  };
  const filter = walk(node, path, 1);
  return issues.length > 0 || !filter ? { ok: false, issues } : { ok: true, filter };
}

/**
 * Parses the query-string shorthand `field:op:value` (ANDed when repeated). Values are text,
 * so they are read according to the field's type: `score:gt:40` compares numbers.
 */
export function parseShorthand(
  terms: readonly string[],
  fields: readonly FieldDef[],
): { ok: true; node: FilterNode } | { ok: false; issues: Issue[] } {
  const byName = new Map(filterableFields(fields).map((f) => [f.name, f]));
  const issues: Issue[] = [];
  const conditions: Condition[] = [];
  terms.forEach((term, i) => {
    const [name = "", op = "", ...rest] = term.split(":");
    const raw = rest.join(":");
    const path = ["where", i];
    if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
      issues.push({
        path,
        code: "not_in_options",
        message: `"${term}": expected field:operator:value with an operator of ${FILTER_OPERATORS.join(", ")}`,
        expected: FILTER_OPERATORS,
      });
      return;
    }
    const field = byName.get(name);
    const read = (text: string) => (field ? textToValue(field, text) : text);
    let value: unknown;
    if (op === "in" || op === "nin" || op === "between") value = raw.split(",").map(read);
    else if (op === "contains" || op === "starts_with") value = raw;
    else if (op !== "is_set" && op !== "is_not_set") value = read(raw);
    conditions.push({ field: name, op: op as FilterOperator, value });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, node: { and: conditions } };
}

/** Reads a text value (query string, CSV cell) as the field's type; leaves it as text when it cannot. */
export function textToValue(field: FieldDef, text: string): unknown {
  switch (field.type) {
    case "integer":
    case "number": {
      const n = Number(text);
      return text.trim() !== "" && Number.isFinite(n) ? n : text;
    }
    case "boolean":
      if (/^(true|yes|1)$/i.test(text)) return true;
      if (/^(false|no|0)$/i.test(text)) return false;
      return text;
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}
