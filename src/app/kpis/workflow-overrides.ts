/**
 * Workflow overrides (docs/kpis.md): people changing, within the override window (7 days), a
 * field a workflow set — the overrides of issue 19's reviews (app/workflows/overrides.ts), here
 * over the KPI period and per workflow and version. The version is that of the workflow's latest
 * run on the record that started at or before its write (runs by record, through `runs_record`).
 * Read from the audit trail when asked, as the reviews read it: people's changes of the period
 * through the partial index audit_log_person_at, then the earlier changes of just those records.
 */
import { bucketOf } from "../../engine/kpis/summary.js";
import type { RunOnRecord } from "../../store/kpi-ports.js";
import type { StoreReads } from "../../store/ports.js";
import { type Override, overridesBetween } from "../workflows/overrides.js";
import type { KpiFigure } from "./kpi-figure.js";
import type { KpiFilters } from "./kpi-query.js";

export interface OverrideCount {
  workflow_id: string;
  workflow_name: string;
  /** Null when no run of the workflow on the record is found (its runs deleted since). */
  version: number | null;
  overrides: number;
}

export async function workflowOverrides(
  store: StoreReads,
  workspaceId: string,
  filters: KpiFilters,
): Promise<KpiFigure & { overrides_by_workflow: OverrideCount[]; truncated: boolean }> {
  const { overrides, truncated } = await overridesBetween(store, workspaceId, filters.from, filters.to);
  const versionOf = versions(
    overrides.length === 0
      ? []
      : await store.kpis.kpiRunsOn(
          workspaceId,
          overrides.map((o) => o.recordId),
        ),
  );
  const w = filters.workflow;
  const kept = overrides
    .map((o) => ({ o, version: versionOf(o) }))
    .filter(({ o, version }) => !w || (o.workflowId === w.id && (w.version === undefined || version === w.version)));
  const names = new Map((await store.workflows.listWorkflows(workspaceId)).map((x) => [x.id, x.name]));
  const per = new Map<string, OverrideCount>();
  const days = new Map<string, number>();
  for (const { o, version } of kept) {
    const key = `${o.workflowId}@${version}`;
    const row = per.get(key) ?? {
      workflow_id: o.workflowId,
      workflow_name: names.get(o.workflowId) ?? o.workflowId,
      version,
      overrides: 0,
    };
    row.overrides += 1;
    per.set(key, row);
    const day = bucketOf(o.at, filters.granularity);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  const series = [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, value: n, count: n }));
  const overridesByWorkflow = [...per.values()].sort(
    (a, b) => b.overrides - a.overrides || a.workflow_name.localeCompare(b.workflow_name) || (a.version ?? 0) - (b.version ?? 0),
  );
  return { value: kept.length, count: kept.length, series, overrides_by_workflow: overridesByWorkflow, truncated };
}

/** The version of the workflow whose write a person overrode: its latest run on the record started at or before the write. */
function versions(runs: readonly RunOnRecord[]): (o: Override) => number | null {
  const byPair = new Map<string, RunOnRecord[]>();
  for (const r of runs) {
    const key = `${r.workflowId}\u0000${r.recordId}`;
    byPair.set(key, [...(byPair.get(key) ?? []), r]);
  }
  return (o) => {
    let best: RunOnRecord | undefined;
    for (const r of byPair.get(`${o.workflowId}\u0000${o.recordId}`) ?? [])
      if (r.createdAt <= o.workflowAt && (!best || r.createdAt > best.createdAt)) best = r;
    return best?.version ?? null;
  };
}
