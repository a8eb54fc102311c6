/**
 * A list's state as it lives in the URL (so a list can be shared and Back works): filter rows
 * (field / operator / value as typed), whether all or any of them must hold, the search words,
 * the sort and the cursors of the pages walked so far. `toApiFilter` turns it into the API's
 * JSON filter tree (docs/api.md "Filters"): the rows in one AND or OR group, the search an OR of
 * `contains` over the object's text fields, both ANDed.
 */
import type { FieldInfo, ObjectInfo, Operator } from "./model";
import { listableFields, searchableFields } from "./model";

export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { field: string; op: Operator; value?: unknown };

export interface FilterRow {
  field: string;
  op: Operator;
  /** As the person typed it; lists (in, nin, between) are comma-separated. */
  value: string;
}

export interface ListSearch {
  filters?: FilterRow[];
  /** "any" ORs the rows; absent or "all" ANDs them. */
  match?: "all" | "any";
  q?: string;
  /** A field name, "-" in front for descending (the API's `sort`). */
  sort?: string;
  /** Cursors of the pages after the first, in the order they were opened; the last is this page's. */
  pages?: string[];
}

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: "is",
  neq: "is not",
  in: "is one of",
  nin: "is none of",
  contains: "contains",
  starts_with: "starts with",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  between: "is between",
  is_set: "is filled in",
  is_not_set: "is empty",
};

export const takesNoValue = (op: Operator) => op === "is_set" || op === "is_not_set";
export const takesList = (op: Operator) => op === "in" || op === "nin" || op === "between";

const OPERATORS = new Set<string>(Object.keys(OPERATOR_LABELS));

/** The router's validateSearch: keeps what has the right shape, drops the rest (a hand-edited URL). */
export function readListSearch(raw: Record<string, unknown>): ListSearch {
  const out: ListSearch = {};
  if (Array.isArray(raw.filters)) {
    const rows = raw.filters.filter(
      (r): r is FilterRow =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as FilterRow).field === "string" &&
        OPERATORS.has((r as FilterRow).op) &&
        typeof ((r as FilterRow).value ?? "") === "string",
    );
    if (rows.length > 0) out.filters = rows.map((r) => ({ field: r.field, op: r.op, value: r.value ?? "" }));
  }
  if (raw.match === "any") out.match = "any";
  if (typeof raw.q === "string" && raw.q.trim() !== "") out.q = raw.q;
  if (typeof raw.sort === "string" && raw.sort !== "") out.sort = raw.sort;
  if (Array.isArray(raw.pages)) {
    const pages = raw.pages.filter((p): p is string => typeof p === "string" && p !== "");
    if (pages.length > 0) out.pages = pages;
  }
  return out;
}

/** A typed text as the field's type, the way the API reads it; text it cannot read stays text, so the server names it. */
export function typedValue(field: FieldInfo | undefined, text: string): unknown {
  const t = text.trim();
  switch (field?.type) {
    case "integer":
    case "number": {
      const n = Number(t);
      return t !== "" && Number.isFinite(n) ? n : t;
    }
    case "boolean":
      return t === "true" ? true : t === "false" ? false : t;
    case "datetime": {
      // A datetime-local input gives local time without an offset; the API wants an instant.
      const d = new Date(t);
      return t !== "" && !Number.isNaN(d.getTime()) ? d.toISOString() : t;
    }
    default:
      return t;
  }
}

function condition(row: FilterRow, fields: Map<string, FieldInfo>): FilterNode {
  const field = fields.get(row.field);
  if (takesNoValue(row.op)) return { field: row.field, op: row.op };
  if (row.op === "contains" || row.op === "starts_with") return { field: row.field, op: row.op, value: row.value };
  if (takesList(row.op)) {
    const items = row.value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    return { field: row.field, op: row.op, value: items.map((s) => typedValue(field, s)) };
  }
  return { field: row.field, op: row.op, value: typedValue(field, row.value) };
}

export function toApiFilter(object: ObjectInfo, search: ListSearch): FilterNode | undefined {
  const fields = new Map(listableFields(object).map((f) => [f.name, f]));
  const parts: FilterNode[] = [];
  const rows = (search.filters ?? []).map((r) => condition(r, fields));
  if (rows.length === 1 && rows[0]) parts.push(rows[0]);
  else if (rows.length > 1) parts.push(search.match === "any" ? { or: rows } : { and: rows });
  const q = search.q?.trim();
  if (q) {
    const searched = searchableFields(object).map((f): FilterNode => ({ field: f.name, op: "contains", value: q }));
    if (searched.length > 0) parts.push({ or: searched });
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** The sort of one column: the API's `sort` param read back. */
export function sortOf(sort: string | undefined, field: string): "ascending" | "descending" | "none" {
  if (sort === field) return "ascending";
  if (sort === `-${field}`) return "descending";
  return "none";
}

/**
 * A filter issue the API named by path (`filter.and[1].value`) as a person reads it: the
 * condition's field label, what they typed, and the API's message.
 */
export function describeFilterIssue(filter: FilterNode | undefined, path: string, message: string, fields: readonly FieldInfo[]): string {
  const steps = path.split(/[.[\]]+/).filter((s) => s !== "");
  let node: unknown = filter;
  for (const step of steps.slice(1)) {
    if (node && typeof node === "object" && "field" in node) break;
    node = (node as Record<string, unknown> | undefined)?.[step];
  }
  if (!node || typeof node !== "object" || !("field" in node)) return message;
  const cond = node as { field: string; value?: unknown };
  const label = fields.find((f) => f.name === cond.field)?.label ?? cond.field;
  const typed =
    cond.value === undefined ? "" : ` (the filter has “${Array.isArray(cond.value) ? cond.value.join(", ") : String(cond.value)}”)`;
  return `${label}: ${message}${typed}`;
}
