/**
 * Limits on the workflow format, checked on the raw JSON **before anything recursive reads it**:
 * Zod parses the recursive condition schema by recursion, and so do the checks, the compiler and
 * JSON.stringify; a definition nested thousands of levels deep would overflow the stack in any of
 * them. So this walk is iterative, stops descending where a limit is passed, and reports each
 * refusal with the limit and the path (docs/workflows.md, "Limits").
 *
 * It also refuses a `"__proto__"` key anywhere: JSON.parse makes it an own property, but Zod's
 * records and object spreads drop it, so it would be published and then silently ignored.
 */
import type { Issue } from "../crm/issues.js";
import { MAX_JSON_DEPTH } from "../crm/json-depth.js";
import { TEMPLATE_LIMITS } from "./templates.js";

export const DEFINITION_LIMITS = {
  /** Characters of the whole definition as JSON. */
  definitionChars: 500_000,
  /** Nesting of any JSON value in the definition (objects and arrays), counted from the definition itself. */
  jsonDepth: MAX_JSON_DEPTH,
  /** Nesting of a condition: every and / or / not / count.where is one level, the outermost condition is level 1. */
  conditionDepth: 32,
  /** Steps of one workflow (and so the longest path through them). */
  steps: 200,
  /** Characters of one template. */
  templateChars: TEMPLATE_LIMITS.chars,
} as const;

type Path = Array<string | number>;
/** What a value is in the format: a condition (at its level), the list of an and / or, a count, or anything else. */
type Role = { kind: "plain" } | { kind: "condition"; level: number } | { kind: "list"; level: number } | { kind: "count"; level: number };

/** Where conditions start in a definition. */
function isConditionRoot(path: Path): boolean {
  const [a, b, c, d, e] = path;
  switch (path.length) {
    case 1:
      return a === "conditions" || a === "goal";
    case 2:
      return a === "trigger" && b === "filter";
    case 3:
      return a === "steps" && c === "condition";
    case 4:
      return a === "steps" && c === "event" && d === "where";
    case 5:
      return a === "steps" && c === "rules" && typeof d === "number" && e === "when";
    default:
      return false;
  }
}

function roleOf(parent: Role, key: string | number, path: Path): Role {
  switch (parent.kind) {
    case "condition":
      if (key === "and" || key === "or") return { kind: "list", level: parent.level };
      if (key === "not") return { kind: "condition", level: parent.level + 1 };
      if (key === "count") return { kind: "count", level: parent.level };
      return { kind: "plain" };
    case "list":
      return { kind: "condition", level: parent.level + 1 };
    case "count":
      return key === "where" ? { kind: "condition", level: parent.level + 1 } : { kind: "plain" };
    case "plain":
      return isConditionRoot(path) ? { kind: "condition", level: 1 } : { kind: "plain" };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Everything the raw definition breaks of the limits above; empty when it may be parsed. */
export function definitionLimitIssues(input: unknown): Issue[] {
  const issues: Issue[] = [];
  const L = DEFINITION_LIMITS;
  if (isObject(input) && isObject(input.steps) && Object.keys(input.steps).length > L.steps) {
    issues.push({
      path: ["steps"],
      code: "too_big",
      message: `a workflow has at most ${L.steps} steps; this one has ${Object.keys(input.steps).length}`,
    });
  }
  let tooDeep = false;
  const stack: Array<{ value: unknown; path: Path; depth: number; role: Role }> = [
    { value: input, path: [], depth: 0, role: { kind: "plain" } },
  ];
  while (stack.length > 0) {
    const { value, path, depth, role } = stack.pop() as (typeof stack)[number];
    if (typeof value !== "object" || value === null) continue;
    if (role.kind === "condition" && role.level > L.conditionDepth) {
      issues.push({
        path,
        code: "too_big",
        message: `conditions are nested at most ${L.conditionDepth} levels deep; this one goes deeper`,
      });
      tooDeep = true;
      continue;
    }
    if (depth >= L.jsonDepth) {
      issues.push({
        path,
        code: "too_big",
        message: `values in a workflow are nested at most ${L.jsonDepth} levels deep; this one goes deeper`,
      });
      tooDeep = true;
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
    const children: typeof stack = [];
    for (const [key, child] of entries) {
      const at = [...path, key];
      if (key === "__proto__") {
        issues.push({ path: at, code: "unknown_field", message: `"__proto__" is not a field name or a key of the workflow format` });
        continue;
      }
      children.push({ value: child, path: at, depth: depth + 1, role: roleOf(role, key, at) });
    }
    // Pushed in reverse so that the walk, and so its problems, follow the order of the document.
    // (A loop, not push(...children): an array of a million items would be a million arguments.)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof stack)[number]);
  }
  // Measured only once the nesting is known to be bounded: JSON.stringify recurses too.
  if (!tooDeep) {
    const chars = JSON.stringify(input)?.length ?? 0;
    if (chars > L.definitionChars) {
      issues.push({
        path: [],
        code: "too_big",
        message: `a workflow definition has at most ${L.definitionChars} characters of JSON; this one has ${chars}`,
      });
    }
  }
  return issues;
}
