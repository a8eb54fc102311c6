/** Reading request parts with errors that name what is wrong. */
import type { Context } from "hono";
import { AppError } from "../app/errors.js";
import { checkIncomingJson } from "../app/incoming-json.js";
import type { FieldDef } from "../crm/fields.js";
import { type FilterNode, filterSchema, MAX_FILTER_DEPTH, parseShorthand } from "../crm/filter.js";
import type { Issue } from "../crm/issues.js";
import { textIssue } from "../crm/text.js";

export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("bad_request", "send the body as JSON with 'Content-Type: application/json'", [
      {
        path: ["content-type"],
        code: "invalid_value",
        message: `expected application/json, got "${type || "nothing"}"`,
        expected: "application/json",
      },
    ]);
  }
  const text = await c.req.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new AppError("bad_request", `the body is not valid JSON: ${reason}`, [
      { path: ["body"], code: "invalid_value", message: reason },
    ]);
  }
  checkIncomingJson(parsed, []);
  return parsed;
}

/** `If-Match: "3"` (or W/"3") → 3; absent → undefined. */
export function ifMatchVersion(c: Context): number | undefined {
  const header = c.req.header("if-match");
  if (header === undefined || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new AppError("bad_request", 'If-Match must be an ETag this API returned, such as "3"', [
      { path: ["If-Match"], code: "invalid_value", message: `"${header}" is not an ETag of this API` },
    ]);
  }
  return Number(match[1]);
}

/** An ISO 8601 instant in the query (`since=2026-12-01T00:00:00Z`, or a date) → its ISO form; absent → undefined. */
export function instantParam(c: Context, name: string): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new AppError("bad_request", `${name} must be an instant such as 2026-12-01T00:00:00Z`, [
      { path: [name], code: "invalid_type", message: `expected an ISO 8601 date or instant, got "${raw}"`, expected: "date-time" },
    ]);
  }
  return new Date(at).toISOString();
}

export function intParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw new AppError("bad_request", `${name} must be an integer`, [
      { path: [name], code: "invalid_type", message: `expected an integer, got "${raw}"`, expected: "integer" },
    ]);
  }
  return n;
}

/** `?filter=<json>` and/or repeated `?where=field:op:value`, ANDed. */
export function filterFromQuery(c: Context, fields: readonly FieldDef[]): FilterNode | undefined {
  const parts: FilterNode[] = [];
  const json = c.req.query("filter");
  if (json !== undefined) parts.push(parseFilterJson(json, ["filter"]));
  const where = c.req.queries("where") ?? [];
  if (where.length > 0) {
    const parsed = parseShorthand(where, fields);
    if (!parsed.ok) throw new AppError("bad_request", "invalid where clause", parsed.issues);
    parts.push(parsed.node);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

export function parseFilterJson(value: unknown, path: string[]): FilterNode {
  let raw = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new AppError("bad_request", "filter is not valid JSON", [
        { path, code: "invalid_value", message: "expected a JSON filter object" },
      ]);
    }
  }
  // Each level of a filter is an object and an array: twice its nesting, plus the leaf.
  checkIncomingJson(raw, path, 2 * MAX_FILTER_DEPTH + 2);
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      "bad_request",
      'filter must be {"and":[…]}, {"or":[…]} or {"field":…,"op":…,"value":…}',
      parsed.error.issues.slice(0, 10).map((i) => ({
        path: [...path, ...i.path.filter((p): p is string | number => typeof p !== "symbol")],
        code: "invalid_value" as const,
        message: i.message,
      })),
    );
  }
  return parsed.data;
}

export function includeFromQuery(c: Context): string[] {
  const raw = c.req.query("include");
  return raw
    ? raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/**
 * The text rule for the URL: every decoded path segment and every query name and value. Path
 * segments are named by their position (`path[3]`), query parameters by their name.
 */
export function checkUrlText(c: Context): void {
  const issues: Issue[] = [];
  const segments = new URL(c.req.url).pathname.split("/");
  segments.forEach((raw, i) => {
    const issue = textIssue(decodeOrRaw(raw), ["path", i]);
    if (issue) issues.push(issue);
  });
  for (const [name, values] of Object.entries(c.req.queries())) {
    const nameIssue = textIssue(name, ["query"]);
    if (nameIssue) issues.push({ ...nameIssue, message: `a parameter name ${nameIssue.message}` });
    for (const value of values) {
      const issue = textIssue(value, [textIssue(name, []) ? "query" : name]);
      if (issue) issues.push(issue);
    }
  }
  if (issues.length > 0) throw new AppError("bad_request", "the URL holds text Handoff cannot accept", issues.slice(0, 20));
}

/** decodeURIComponent, or the raw text where it is not valid percent-encoded UTF-8 (it then holds no NUL). */
function decodeOrRaw(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
