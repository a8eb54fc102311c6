/**
 * The KPI pages' filters, kept in the URL so a view can be shared (/kpis?period=90&team=…): its own
 * file, so the router's entry chunk stays without the pages. `period` is today, or the last 7, 30,
 * 90 or 120 days up to today, or "custom" with `from` and `to`; `by=hour` asks for a point per hour
 * (periods of at most 7 days); `judged=end` judges data quality as at the period's end; the rest
 * are the API's cuts.
 */
// Numbers, so the address reads ?period=90 (the router writes a string that looks like a number in quotes).
export const PERIODS = [1, 7, 30, 90, 120] as const;
/** The longest period the API gives by hour (src/app/kpis/kpi-query.ts MAX_HOURLY_DAYS). */
export const MAX_HOURLY_DAYS = 7;
export type Period = (typeof PERIODS)[number] | "custom";

export interface KpiSearch {
  period?: Period;
  from?: string;
  to?: string;
  object?: string;
  owner?: string;
  team?: string;
  workflow?: string;
  version?: number;
  /** With a workflow: false = the records it did not handle (the default is those it handled). */
  handled?: false;
  /** Chart points per hour instead of per day (honoured for periods of at most 7 days). */
  by?: "hour";
  /** The data-quality KPIs judge the records as they stood at the period's end (the default: as they stand now). */
  judged?: "end";
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** The router's validateSearch: keeps what has the right shape (a hand-edited URL loses the rest). */
export function readKpiSearch(search: Record<string, unknown>): KpiSearch {
  const id = (k: string) => (typeof search[k] === "string" && ID_RE.test(search[k] as string) ? { [k]: search[k] as string } : {});
  const day = (k: string) => (typeof search[k] === "string" && DAY_RE.test(search[k] as string) ? { [k]: search[k] as string } : {});
  const p = search.period;
  const n = typeof p === "number" ? p : typeof p === "string" && /^\d+$/.test(p) ? Number(p) : Number.NaN;
  const period: Period | undefined = (PERIODS as readonly number[]).includes(n) ? (n as Period) : p === "custom" ? "custom" : undefined;
  const v = typeof search.version === "number" ? search.version : typeof search.version === "string" ? Number(search.version) : Number.NaN;
  const workflow = id("workflow");
  return {
    ...(period ? { period } : {}),
    ...(period === "custom" ? { ...day("from"), ...day("to") } : {}),
    ...id("object"),
    ...id("owner"),
    ...id("team"),
    ...workflow,
    ...(workflow.workflow && Number.isSafeInteger(v) && v > 0 ? { version: v } : {}),
    ...(workflow.workflow && (search.handled === false || search.handled === "false") ? { handled: false as const } : {}),
    ...(search.by === "hour" ? { by: "hour" as const } : {}),
    ...(search.judged === "end" ? { judged: "end" as const } : {}),
  };
}

/** The days a period spans, both ends included. */
export function periodLength(search: KpiSearch, now: number): number {
  const { from, to } = periodDays(search, now);
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;
}

/** Whether the charts draw a point per hour: asked for, and the period is short enough. */
export function byHour(search: KpiSearch, now: number): boolean {
  return search.by === "hour" && periodLength(search, now) <= MAX_HOURLY_DAYS;
}

const DAY = 86_400_000;
export const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The period's first and last day (UTC, inclusive), as the API counts them. */
export function periodDays(search: KpiSearch, now: number): { from: string; to: string } {
  const today = dayOf(now);
  if (search.period === "custom") {
    const to = search.to ?? today;
    return { from: search.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 29 * DAY), to };
  }
  const days = search.period ?? 30;
  return { from: dayOf(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY), to: today };
}

export type KpiQuery = {
  from: string;
  to: string;
  object?: string;
  owner_id?: string;
  team_id?: string;
  workflow?: string;
  version?: string;
  handled?: "true" | "false";
  granularity?: "hour";
  as_at?: "end";
};

/** The API's query for a search (`handled` overrides the search's, for the side-by-side view). */
export function apiQuery(search: KpiSearch, now: number, handled?: boolean): KpiQuery {
  const h = handled ?? search.handled !== false;
  return {
    ...periodDays(search, now),
    ...(search.object ? { object: search.object } : {}),
    ...(search.owner ? { owner_id: search.owner } : {}),
    ...(search.team ? { team_id: search.team } : {}),
    ...(search.workflow
      ? {
          workflow: search.workflow,
          handled: h ? "true" : "false",
          ...(search.version !== undefined ? { version: String(search.version) } : {}),
        }
      : {}),
    ...(byHour(search, now) ? { granularity: "hour" as const } : {}),
    ...(search.judged === "end" ? { as_at: "end" as const } : {}),
  };
}

/** A `format=csv` address of an API path with the query: a plain link the browser downloads. */
export function csvHref(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  params.set("format", "csv");
  return `${path}?${params.toString()}`;
}
