/**
 * What the record page reads, as TanStack Query options: the objects and their fields, the record
 * with its referenced records, the records that point at it, its runs, its timeline, its SLA
 * clocks, the workflows. Object routes are one per object in the API document (`/api/v1/leads/{id}` …); the
 * page serves any object, so those paths are built from the object's plural (typed as one of them).
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import type { Rec } from "./words";

export interface FieldInfo {
  name: string;
  type: string;
  label: string;
  custom: boolean;
  managed: boolean;
  references?: string[];
  options?: string[];
}
export interface ObjectInfo {
  name: string;
  plural: string;
  label: string;
  fields: FieldInfo[];
}
export type RecordWithRelated = Rec & { related?: Record<string, Rec | null> };

/** A run on this record, with what it waits for when it waits (GET /api/v1/runs). */
export type Run = Schemas["RunListItem"];
export type Workflow = Schemas["WorkflowSummary"];
/** One entry of the record's timeline, a union by `kind` (GET /api/v1/{objects}/{id}/timeline). */
export type TimelineItem = Schemas["TimelineItem"];

export const TERMINAL: ReadonlySet<Run["status"]> = new Set(["completed", "exited", "failed", "cancelled"]);

/** Same key and shape as the Records page: one cached copy of the objects. */
export const objectsQuery = queryOptions({
  queryKey: ["objects"],
  queryFn: async () => unwrap(await api.GET("/api/v1/objects")).data as ObjectInfo[],
  staleTime: 5 * 60_000,
});

/** Same key and shape as Home. */
export const workflowsQuery = queryOptions({
  queryKey: ["workflows"],
  queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data,
});

type OneRecordPath = "/api/v1/leads/{id}";
type ListPath = "/api/v1/leads";

export async function fetchRecord(plural: string, id: string, include: string[]): Promise<RecordWithRelated> {
  const query = include.length > 0 ? { include: include.join(",") } : {};
  return unwrap(await api.GET(`/api/v1/${plural}/{id}` as OneRecordPath, { params: { path: { id }, query } })) as RecordWithRelated;
}

/** A page of records of `plural` whose `field` points at `id`, newest first. */
export async function fetchPointing(plural: string, field: string, id: string, limit: number): Promise<{ data: Rec[]; more: boolean }> {
  const page = unwrap(
    await api.GET(`/api/v1/${plural}` as ListPath, {
      params: { query: { where: `${field}:eq:${id}`, sort: "-created_at", limit: String(limit) } },
    }),
  );
  return { data: page.data, more: page.next_cursor !== null };
}

/** Users by id, for names in the timeline (owners, who logged an activity). */
export async function fetchUsers(ids: string[]): Promise<Map<string, Rec>> {
  if (ids.length === 0) return new Map();
  const page = unwrap(await api.GET("/api/v1/users", { params: { query: { where: `id:in:${ids.join(",")}`, limit: "500" } } }));
  return new Map(page.data.map((u) => [u.id, u]));
}

export async function fetchRuns(recordId: string): Promise<Run[]> {
  return unwrap(await api.GET("/api/v1/runs", { params: { query: { record_id: recordId, limit: "100" } } })).data;
}

export async function fetchTimeline(plural: string, id: string): Promise<TimelineItem[]> {
  return unwrap(await api.GET("/api/v1/{objects}/{id}/timeline", { params: { path: { objects: plural, id } } })).data;
}

/** The page's live queries (record, runs, timeline) share this prefix: one invalidation refreshes them. */
export const LIVE = ["record", "live"] as const;

/** The record itself: asked for at once, without waiting for the objects' fields. */
export const recordQuery = (plural: string, id: string) =>
  queryOptions({ queryKey: [...LIVE, plural, id, "record"], queryFn: () => fetchRecord(plural, id, []) });

/**
 * The records its reference fields point at (owner, company …; custom ones too), by the field's
 * name without `_id`: a second read, so that the heading and the Automation panel need not wait
 * for the objects' fields to be known.
 */
export function referencedQuery(queryClient: QueryClient, plural: string, id: string) {
  return queryOptions({
    queryKey: [...LIVE, plural, id, "referenced"],
    queryFn: async () => {
      const def = (await queryClient.ensureQueryData(objectsQuery)).find((o) => o.plural === plural);
      if (!def) throw new ApiError(404, { title: "Not found", detail: `no object "${plural}"` });
      const include = def.fields.filter((f) => f.type === "reference").map((f) => f.name);
      return include.length > 0 ? ((await fetchRecord(plural, id, include)).related ?? {}) : {};
    },
  });
}
export const runsQuery = (plural: string, id: string) =>
  queryOptions({ queryKey: [...LIVE, plural, id, "runs"], queryFn: () => fetchRuns(id) });
export const timelineQuery = (plural: string, id: string) =>
  queryOptions({ queryKey: [...LIVE, plural, id, "timeline"], queryFn: () => fetchTimeline(plural, id) });
/** The record's SLA clocks, each read by the server at the moment of the request. */
export const slaQuery = (plural: string, id: string) =>
  queryOptions({
    queryKey: [...LIVE, plural, id, "sla"],
    queryFn: async () => unwrap(await api.GET("/api/v1/{objects}/{id}/sla", { params: { path: { objects: plural, id } } })).data,
  });

/**
 * Starts the page's reads as soon as the route is entered (its loader), side by side and while
 * the page's own chunk downloads — not one after the other once it has rendered.
 */
export function prefetchRecordPage(queryClient: QueryClient, plural: string, id: string) {
  void queryClient.prefetchQuery(recordQuery(plural, id));
  void queryClient.prefetchQuery(referencedQuery(queryClient, plural, id));
  void queryClient.prefetchQuery(runsQuery(plural, id));
  void queryClient.prefetchQuery(timelineQuery(plural, id));
  void queryClient.prefetchQuery(slaQuery(plural, id));
  void queryClient.prefetchQuery(workflowsQuery);
}
