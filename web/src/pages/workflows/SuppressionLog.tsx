/**
 * A workflow's log: what its loop protection stopped (its own writes, causal depth), what its
 * quotas refused, the enrolments its rate cap deferred, and forced enrolments — each with why.
 */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "../../api/client";
import { when } from "../../components/time";
import { EmptyState, ErrorMessage, ui } from "../../components/ui";
import styles from "./workflows.module.css";

const KIND_WORDS: Record<Schemas["WorkflowLogEntry"]["kind"], string> = {
  suppressed: "Stopped",
  skipped: "Skipped",
  enrolled: "Enrolled",
  deferred: "Deferred",
  forced: "Forced",
};

export function SuppressionLog({ workflowId }: { workflowId: string }) {
  const log = useQuery({
    queryKey: ["workflow-log", workflowId],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}/log", { params: { path: { id: workflowId } } })).data,
  });
  return (
    <section className={ui.section} aria-labelledby="suppressions">
      <h2 id="suppressions">Log of suppressions</h2>
      <p className={styles.muted}>Loop stops, quota refusals and rate-cap deferrals: what Handoff held back, and why.</p>
      {log.error ? <ErrorMessage error={log.error} what="the log" /> : null}
      {log.isPending ? <p aria-live="polite">Loading the log…</p> : null}
      {log.data && log.data.length === 0 ? (
        <EmptyState title="Nothing held back">No loop stops, quota refusals or deferred enrolments for this workflow.</EmptyState>
      ) : null}
      {log.data && log.data.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={ui.table}>
            <caption className="visually-hidden">Log of suppressions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
                <th scope="col">Record</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((row, i) => (
                // The log has no id per row; its order (newest first) is stable.
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are append-only and read in one order
                <tr key={i}>
                  <td>{when(row.at)}</td>
                  <td>{KIND_WORDS[row.kind]}</td>
                  <td>{row.message}</td>
                  <td>{row.record_id ? <code>{row.record_id}</code> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
