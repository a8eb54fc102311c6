/** What each KPI's computation gives the service (kpi-service.ts adds the definition): the figure, what it is over, its days. */
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
