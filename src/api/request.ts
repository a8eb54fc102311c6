/** Reading request parts with errors that name what is wrong. */
import type { Context } from "hono";
import { AppError } from "../app/errors.js";
import type { FieldDef } from "../crm/fields.js";
import { type FilterNode, filterSchema, parseShorthand } from "../crm/filter.js";

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
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new AppError("bad_request", `the body is not valid JSON: ${reason}`, [
      { path: ["body"], code: "invalid_value", message: reason },
    ]);
  }
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
