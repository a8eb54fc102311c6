/**
 * What the records pages know about objects and fields: the shapes `GET /api/v1/objects`
 * answers (every object with its built-in and custom fields, their types, options, references
 * and filter operators), the query that reads them once for every page, and the few rules the
 * pages derive from them (which field titles a record, which fields a search looks in).
 */
import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export type { FieldInfo, FieldType, ObjectInfo, Operator } from "./field-info";

import type { FieldInfo, ObjectInfo } from "./field-info";

/** A record as the API answers it: flat fields plus `related` when `include` asked for it. */
export type ApiRecord = { id: string; object: string; version: number; created_at: string; updated_at: string } & Record<
  string,
  unknown
> & { related?: Record<string, ApiRecord | null> };

/** id, created_at and updated_at: every object has them; lists may show and sort by them. */
export const SYSTEM_FIELDS: FieldInfo[] = [
  { name: "id", type: "string", label: "ID", required: false, managed: true, custom: false, operators: ["eq", "neq", "in", "nin"] },
  {
    name: "created_at",
    type: "datetime",
    label: "Created at",
    required: false,
    managed: true,
    custom: false,
    operators: ["eq", "neq", "gt", "gte", "lt", "lte", "between", "is_set", "is_not_set"],
  },
  {
    name: "updated_at",
    type: "datetime",
    label: "Updated at",
    required: false,
    managed: true,
    custom: false,
    operators: ["eq", "neq", "gt", "gte", "lt", "lte", "between", "is_set", "is_not_set"],
  },
];

export const objectsQuery = queryOptions({
  queryKey: ["objects"] as const,
  queryFn: async () => (unwrap(await api.GET("/api/v1/objects")) as { data: ObjectInfo[] }).data,
  staleTime: 5 * 60_000,
});

export function findObject(objects: readonly ObjectInfo[] | undefined, plural: string): ObjectInfo | undefined {
  return objects?.find((o) => o.plural === plural);
}

/** The object's fields a list may show, filter and sort on: its own fields, then the system ones. */
export function listableFields(object: ObjectInfo): FieldInfo[] {
  return [...object.fields, ...SYSTEM_FIELDS];
}

/**
 * The field that names a record in a list (the API's title field: name, subject or last name).
 * People and leads show "first last"; a record without one shows its id.
 */
export function titleField(object: ObjectInfo): FieldInfo | undefined {
  for (const name of ["name", "subject", "last_name"]) {
    const f = object.fields.find((x) => x.name === name);
    if (f) return f;
  }
  return undefined;
}

export function recordTitle(object: ObjectInfo, record: Record<string, unknown>): string {
  const title = titleField(object);
  const value = title ? record[title.name] : undefined;
  if (title?.name === "last_name") {
    const name = [record.first_name, record.last_name].filter((x) => typeof x === "string" && x !== "").join(" ");
    if (name) return name;
  }
  if (typeof value === "string" && value !== "") return value;
  return typeof record.id === "string" ? record.id : "(untitled)";
}

/** Fields the search box looks in: words people type (names, emails, subjects), not enums or ids. */
export function searchableFields(object: ObjectInfo): FieldInfo[] {
  return object.fields.filter((f) => (f.type === "string" || f.type === "text" || f.type === "email") && f.operators.includes("contains"));
}

/** Fields worth a column before the person chooses, in this order (those the object has). */
const USEFUL = [
  "email",
  "company_name",
  "status",
  "stage",
  "type",
  "priority",
  "score",
  "amount",
  "close_date",
  "due_at",
  "role",
  "owner_id",
  "assignee_id",
  "company_id",
  "related_id",
  "team_id",
  "domain",
  "industry",
  "employee_count",
];

/** The columns a list shows before the person chooses: the title, then up to five useful fields. */
export function defaultColumns(object: ObjectInfo): string[] {
  const title = titleField(object);
  const candidates = object.fields.filter(
    (f) => f !== title && f.type !== "json" && f.type !== "text" && !(title?.name === "last_name" && f.name === "first_name"),
  );
  const useful = USEFUL.map((n) => candidates.find((f) => f.name === n)).filter((f) => f !== undefined);
  const rest = candidates.filter((f) => !useful.includes(f));
  return [...(title ? [title.name] : []), ...[...useful, ...rest].slice(0, 5).map((f) => f.name)];
}

/** How one value reads in a cell: an option's words, a boolean as Yes/No, a date-time in local time. */
export function displayValue(field: FieldInfo, value: unknown, related?: ApiRecord | null, relatedObject?: ObjectInfo): string {
  if (value === undefined || value === null || value === "") return "—";
  switch (field.type) {
    case "boolean":
      return value ? "Yes" : "No";
    case "datetime":
      return typeof value === "string" ? new Date(value).toLocaleString() : String(value);
    case "enum":
      return typeof value === "string" ? humanize(value) : String(value);
    case "reference":
      if (related && relatedObject) return recordTitle(relatedObject, related);
      return String(value);
    case "json":
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** `closed_won` → "Closed won": how an option or a name reads to a person. */
export function humanize(value: string): string {
  const words = value.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
