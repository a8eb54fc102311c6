/** What each KPI's computation gives the service (kpi-service.ts adds the definition): the figure, what it is over, its days. */
export interface KpiFigure {
  value: number | null;
  count: number;
  series: Array<{ day: string; value: number | null; count: number }>;
}
