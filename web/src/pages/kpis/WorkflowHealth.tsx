/**
 * The workflow failure rate per workflow and version (the KPI's breakdown): how many runs started
 * in the period, how many failed, the share — each workflow a link to its page, each failure
 * count a link to those failed runs started in the same period (the runs page's since and until:
 * the period's first day and the day after its last, UTC, as the KPI counts them).
 */
import { Link } from "@tanstack/react-router";
import type { Kpi } from "./data";
import styles from "./Kpis.module.css";
import type { KpiQuery } from "./kpi-search";
import { WorkflowTable } from "./WorkflowTable";
import { withUnit } from "./words";

/** The instant a UTC day (YYYY-MM-DD) starts, `plus` days on. */
const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00.000Z`) + plus * 86_400_000).toISOString();

export function WorkflowHealth({ kpi, query }: { kpi: Kpi; query: KpiQuery }) {
  return (
    <WorkflowTable
      id="workflow-health"
      title="Workflow health"
      kpiKey="workflow_failure_rate"
      query={query}
      intro="The runs each workflow version started in the period, and how many of them failed."
      empty={{
        title: "No workflow ran in this period",
        body: "Once a published workflow starts runs, each version appears here with its runs and failures.",
      }}
      rows={kpi.breakdown ?? []}
      columns={[
        { header: "Runs", cell: (r) => r.runs.toLocaleString("en") },
        {
          header: "Failed",
          cell: (r) =>
            r.failed > 0 ? (
              <Link
                to="/runs"
                search={{
                  status: "failed",
                  workflow: r.workflow_id,
                  version: r.version,
                  since: dayStart(query.from),
                  until: dayStart(query.to, 1),
                }}
                aria-label={`${r.failed} failed runs of ${r.workflow_name} version ${r.version}`}
              >
                {r.failed.toLocaleString("en")}
              </Link>
            ) : (
              "0"
            ),
        },
        { header: "Failure rate", cell: (r) => withUnit(kpi, r.failure_rate), tone: (r) => (r.failed > 0 ? styles.bad : "") },
      ]}
    />
  );
}
