/**
 * Workflow overrides per workflow and version (the KPI's `overrides_by_workflow`): how many times
 * in the period a person changed a field the workflow had set in the 7 days before — repeated
 * overrides mean a rule is stale. Each workflow a link to its page (its reviews list the
 * overrides one by one); a CSV of the table.
 */
import { Link } from "@tanstack/react-router";
import { EmptyState, ui } from "../../components/ui";
import type { Kpi } from "./data";
import styles from "./Kpis.module.css";
import { csvHref, type KpiQuery } from "./kpi-search";

export function WorkflowOverrides({ kpi, query }: { kpi: Kpi; query: KpiQuery }) {
  const rows = kpi.overrides_by_workflow ?? [];
  return (
    <section className={styles.section} aria-labelledby="workflow-overrides">
      <div className={styles.sectionHead}>
        <h2 id="workflow-overrides">Overrides by workflow</h2>
        <a
          className={styles.csv}
          href={csvHref("/api/v1/kpis/workflow_overrides", query)}
          download={`workflow_overrides_${query.from}_${query.to}.csv`}
          aria-label="Download CSV: overrides by workflow"
        >
          Download CSV
        </a>
      </div>
      <p className={styles.muted}>
        How often people changed, in the period, a field each workflow version had set in the 7 days before.
        {kpi.truncated ? " The period holds more changes by people than are read: these are the newest 5,000's overrides, at least." : ""}
      </p>
      {rows.length === 0 ? (
        <EmptyState title="No override in this period">Nobody changed a field a workflow had just set.</EmptyState>
      ) : (
        <table className={ui.table} aria-label="Overrides by workflow">
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col" className={styles.numeric}>
                Version
              </th>
              <th scope="col" className={styles.numeric}>
                Overrides
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
                <td className={styles.numeric}>{r.version ?? "—"}</td>
                <td className={styles.numeric}>{r.overrides.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
