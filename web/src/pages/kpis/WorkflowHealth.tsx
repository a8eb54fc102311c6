/**
 * The workflow failure rate per workflow and version (the KPI's breakdown): how many runs started
 * in the period, how many failed, the share — each workflow a link to its page, each failure
 * count a link to those failed runs started in the same period (the runs page's since and until:
 * the period's first day and the day after its last, UTC, as the KPI counts them).
 */
import { Link } from "@tanstack/react-router";
import { EmptyState, ui } from "../../components/ui";
import type { Kpi } from "./data";
import styles from "./Kpis.module.css";
import { csvHref, type KpiQuery } from "./kpi-search";
import { withUnit } from "./words";

/** The instant a UTC day (YYYY-MM-DD) starts, `plus` days on. */
const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00.000Z`) + plus * 86_400_000).toISOString();

export function WorkflowHealth({ kpi, query }: { kpi: Kpi; query: KpiQuery }) {
  const rows = kpi.breakdown ?? [];
  return (
    <section className={styles.section} aria-labelledby="workflow-health">
      <div className={styles.sectionHead}>
        <h2 id="workflow-health">Workflow health</h2>
        <a
          className={styles.csv}
          href={csvHref("/api/v1/kpis/workflow_failure_rate", query)}
          download={`workflow_failure_rate_${query.from}_${query.to}.csv`}
          aria-label="Download CSV: workflow health"
        >
          Download CSV
        </a>
      </div>
      <p className={styles.muted}>The runs each workflow version started in the period, and how many of them failed.</p>
      {rows.length === 0 ? (
        <EmptyState title="No workflow ran in this period">
          Once a published workflow starts runs, each version appears here with its runs and failures.
        </EmptyState>
      ) : (
        <table className={ui.table} aria-label="Workflow health">
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col" className={styles.numeric}>
                Version
              </th>
              <th scope="col" className={styles.numeric}>
                Runs
              </th>
              <th scope="col" className={styles.numeric}>
                Failed
              </th>
              <th scope="col" className={styles.numeric}>
                Failure rate
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.workflow_id}@${r.version}`}>
                <td>
                  <Link to="/workflows/$id" params={{ id: r.workflow_id }}>
                    {r.workflow_name}
                  </Link>
                </td>
                <td className={styles.numeric}>{r.version}</td>
                <td className={styles.numeric}>{r.runs.toLocaleString("en")}</td>
                <td className={styles.numeric}>
                  {r.failed > 0 ? (
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
                  )}
                </td>
                <td className={`${styles.numeric} ${r.failed > 0 ? styles.bad : ""}`}>{withUnit(kpi, r.failure_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
