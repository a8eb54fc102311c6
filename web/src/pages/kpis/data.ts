/**
 * The KPI pages' reads: every KPI over a cut (GET /api/v1/kpis), the records behind a cohort KPI
 * (GET /api/v1/kpis/{key}/records), and the lists the filters choose from (people, teams,
 * workflows). The KPIs move as the background rollup folds new events in, so they are polled.
 */
import { queryOptions } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../../api/client";
import type { KpiQuery } from "./kpi-search";

export type Kpi = Schemas["Kpi"];
export type KpiKey = Kpi["key"];
export type KpiBreakdown = NonNullable<Kpi["breakdown"]>[number];

/** The rollup catches up within seconds; a minute keeps an open dashboard current without weighing on the server. */
const KPI_MS = 60_000;

export const kpisQuery = (query: KpiQuery) =>
  queryOptions({
    queryKey: ["kpis", "all", query],
    queryFn: async () => unwrap(await api.GET("/api/v1/kpis", { params: { query } })),
    refetchInterval: KPI_MS,
  });

export const kpiRecordsQuery = (key: KpiKey, query: KpiQuery & { limit: string }) =>
  queryOptions({
    queryKey: ["kpis", "records", key, query],
    queryFn: async () => unwrap(await api.GET("/api/v1/kpis/{key}/records", { params: { path: { key }, query } })),
    refetchInterval: KPI_MS,
  });

export interface Person {
  id: string;
  name: string;
}

export const peopleQuery = queryOptions({
  queryKey: ["kpis", "people"],
  queryFn: async () =>
    unwrap(await api.GET("/api/v1/users", { params: { query: { limit: "500", sort: "name" } } })).data.map(
      (u): Person => ({ id: u.id, name: typeof u.name === "string" && u.name ? u.name : u.id }),
    ),
  staleTime: 60_000,
});

export const teamsQuery = queryOptions({
  queryKey: ["kpis", "teams"],
  queryFn: async () =>
    unwrap(await api.GET("/api/v1/teams", { params: { query: { limit: "200", sort: "name" } } })).data.map(
      (t): Person => ({ id: t.id, name: typeof t.name === "string" && t.name ? t.name : t.id }),
    ),
  staleTime: 60_000,
});

export const workflowsQuery = queryOptions({
  queryKey: ["kpis", "workflows"],
  queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data,
  staleTime: 60_000,
});

type ListPath = "/api/v1/leads";

/** The records a drill-down lists, by id, for their names (one list call per object). */
export async function fetchRecordsById(plural: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const page = unwrap(
    await api.GET(`/api/v1/${plural}` as ListPath, { params: { query: { where: `id:in:${ids.join(",")}`, limit: String(ids.length) } } }),
  );
  return new Map(page.data.map((r) => [r.id, r as Record<string, unknown>]));
}
