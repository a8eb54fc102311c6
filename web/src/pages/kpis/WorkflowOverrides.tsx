/**
 * Workflow overrides per workflow and version (the KPI's `overrides_by_workflow`): how many times
 * in the period a person changed a field the workflow had set in the 7 days before — repeated
 * overrides mean a rule is stale. Each workflow a link to its page (its reviews list the
 * overrides one by one); a CSV of the table.
 */
import type { Kpi } from "./data";
import type { KpiQuery } from "./kpi-search";
import { WorkflowTable } from "./WorkflowTable";

export function WorkflowOverrides({ kpi, query }: { kpi: Kpi; query: KpiQuery }) {
  return (
    <WorkflowTable
      id="workflow-overrides"
      title="Overrides by workflow"
      kpiKey="workflow_overrides"
      query={query}
      intro={`How often people changed, in the period, a field each workflow version had set in the 7 days before.${
        kpi.truncated ? " The period holds more changes by people than are read: these are the newest 5,000's overrides, at least." : ""
      }`}
      empty={{ title: "No override in this period", body: "Nobody changed a field a workflow had just set." }}
      rows={kpi.overrides_by_workflow ?? []}
      columns={[{ header: "Overrides", cell: (r) => r.overrides.toLocaleString("en") }]}
    />
  );
}
