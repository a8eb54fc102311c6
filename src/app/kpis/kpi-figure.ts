/**
 * What each KPI's computation gives the service (kpi-service.ts adds the definition): the figure,
 * what it is over, its series — each point's `day` is its bucket (YYYY-MM-DD, or YYYY-MM-DDTHH by
 * hour), which the service splits into the day and the hour it shows.
 */
export interface KpiFigure {
  value: number | null;
  count: number;
  series: Array<{ day: string; value: number | null; count: number }>;
}

/** A record a listed KPI is over (drills.ts LISTS), with its figure in the drill's unit and the instant it entered the figure. */
export interface ListedRecord {
  recordId: string;
  value: number | null;
  at: string;
}
