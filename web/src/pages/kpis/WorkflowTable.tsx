/**
 * A KPI's figures per workflow and version (failure rate, overrides): a section with its heading,
 * what it counts, its CSV and a table whose first two columns are the workflow (a link to its
 * page) and the version — the one layout behind "Workflow health" and "Overrides by workflow".
 */
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { EmptyState, ui } from "../../components/ui";
import type { KpiKey } from "./data";
import styles from "./Kpis.module.css";
import { csvHref, type KpiQuery } from "./kpi-search";

export interface WorkflowRow {
  workflow_id: string;
  workflow_name: string;
  version: number | null;
}

export interface WorkflowColumn<R> {
  header: string;
  cell: (row: R) => ReactNode;
  /** A class beside the numeric one (a failure rate above nothing is marked bad). */
  tone?: (row: R) => string | undefined;
}

export function WorkflowTable<R extends WorkflowRow>({
  id,
  title,
  kpiKey,
  query,
  intro,
  empty,
  rows,
  columns,
}: {
  id: string;
  title: string;
  kpiKey: KpiKey;
  query: KpiQuery;
  intro: ReactNode;
  empty: { title: string; body: ReactNode };
  rows: readonly R[];
  columns: ReadonlyArray<WorkflowColumn<R>>;
}) {
  return (
    <section className={styles.section} aria-labelledby={id}>
      <div className={styles.sectionHead}>
        <h2 id={id}>{title}</h2>
        <a
          className={styles.csv}
          href={csvHref(`/api/v1/kpis/${kpiKey}`, query)}
          download={`${kpiKey}_${query.from}_${query.to}.csv`}
          aria-label={`Download CSV: ${title.toLowerCase()}`}
        >
          Download CSV
        </a>
      </div>
      <p className={styles.muted}>{intro}</p>
      {rows.length === 0 ? (
        <EmptyState title={empty.title}>{empty.body}</EmptyState>
      ) : (
        <table className={ui.table} aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col" className={styles.numeric}>
                Version
              </th>
              {columns.map((c) => (
                <th scope="col" className={styles.numeric} key={c.header}>
                  {c.header}
                </th>
              ))}
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
                {columns.map((c) => (
                  <td className={`${styles.numeric} ${c.tone?.(r) ?? ""}`} key={c.header}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
