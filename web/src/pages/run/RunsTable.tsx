/**
 * Runs as a table — the runs list and a workflow's page show the same thing the same way: each
 * run's id opening its inspector, the workflow (when the table mixes several), its status in
 * words, its step, its record by name (one list request per object, records/RecordTitles.tsx),
 * its version and when.
 */
import { Link } from "@tanstack/react-router";
import { when } from "../../components/time";
import { ui } from "../../components/ui";
import { RecordTitleLink, useRecordTitles } from "../../records/RecordTitles";
import styles from "./RunsTable.module.css";
import type { RunSummary } from "./run-types";
import { statusWords } from "./run-words";

export interface RunsTableProps {
  runs: readonly RunSummary[];
  caption: string;
  /** Each workflow's name and object, by id: names the runs and tells which object their records are. */
  workflows: ReadonlyMap<string, { name: string; object: string }>;
  /** A Workflow column, for tables that mix the runs of several workflows. */
  showWorkflow: boolean;
  /** The time column: when a run started, or when it last moved. */
  time: "started" | "updated";
}

export function RunsTable({ runs, caption, workflows, showWorkflow, time }: RunsTableProps) {
  const records = useRecordTitles(
    runs.flatMap((r) => {
      const object = workflows.get(r.workflow_id)?.object;
      return object ? [{ object, id: r.record_id }] : [];
    }),
  );
  return (
    <table className={ui.table}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          {showWorkflow ? <th scope="col">Workflow</th> : null}
          <th scope="col">Status</th>
          <th scope="col">Step</th>
          <th scope="col">Record</th>
          <th scope="col">Version</th>
          <th scope="col">{time === "started" ? "Started" : "Updated"}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const workflow = workflows.get(r.workflow_id);
          return (
            <tr key={r.id}>
              <td>
                <Link to="/runs/$id" params={{ id: r.id }} aria-label={`Run ${r.id} of ${workflow?.name ?? "a workflow"}`}>
                  <code>{r.id}</code>
                </Link>
              </td>
              {showWorkflow ? <td>{workflow?.name ?? r.workflow_id}</td> : null}
              <td>
                <span className={r.status === "failed" ? `${ui.badge} ${styles.failed}` : ui.badge}>{statusWords(r.status)}</span>
              </td>
              <td>{r.step ?? "—"}</td>
              <td>
                <RecordTitleLink id={r.record_id} found={records.get(r.record_id)} />
              </td>
              <td>v{r.version}</td>
              <td>{when(time === "started" ? r.created_at : r.updated_at)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
