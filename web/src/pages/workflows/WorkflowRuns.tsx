/** A workflow's runs, newest first, filtered by status and age; each opens the run inspector. */

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { AppLink } from "../../components/AppLink";
import { when } from "../../components/time";
import { EmptyState, ErrorMessage, ui } from "../../components/ui";
import { RecordTitleLink, useRecordTitles } from "../../records/RecordTitles";
import styles from "./workflows.module.css";

const STATUSES = ["running", "waiting", "completed", "exited", "failed", "cancelled"] as const;
const SINCE = { "1d": ["last 24 hours", 1], "7d": ["last 7 days", 7], "30d": ["last 30 days", 30], all: ["any time", 0] } as const;
type Since = keyof typeof SINCE;

interface RunInfo {
  id: string;
  record_id: string;
  status: string;
  step: string | null;
  version: number;
  created_at: string;
  finished_at: string | null;
}

export function WorkflowRuns({ workflowId, object }: { workflowId: string; object: string }) {
  const [status, setStatus] = useState("");
  const [since, setSince] = useState<Since>("7d");
  const statusId = useId();
  const sinceId = useId();
  const runs = useQuery({
    queryKey: ["runs", { workflowId, status, since }],
    queryFn: async () => {
      const days = SINCE[since][1];
      const query = {
        workflow_id: workflowId,
        limit: "50",
        ...(status ? { status } : {}),
        ...(days > 0 ? { since: new Date(Date.now() - days * 86_400_000).toISOString() } : {}),
      };
      return (unwrap(await api.GET("/api/v1/runs", { params: { query } })) as { data: RunInfo[] }).data;
    },
  });
  const records = useRecordTitles((runs.data ?? []).map((r) => ({ object, id: r.record_id })));

  return (
    <section className={ui.section} aria-labelledby="runs">
      <h2 id="runs">Runs</h2>
      <div className={styles.toolbar}>
        <div className={styles.filter}>
          <label htmlFor={statusId} className={ui.label}>
            Run status
          </label>
          <select id={statusId} className={styles.select} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filter}>
          <label htmlFor={sinceId} className={ui.label}>
            Started
          </label>
          <select id={sinceId} className={styles.select} value={since} onChange={(e) => setSince(e.target.value as Since)}>
            {(Object.keys(SINCE) as Since[]).map((s) => (
              <option key={s} value={s}>
                {SINCE[s][0]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {runs.error ? <ErrorMessage error={runs.error} what="the runs" /> : null}
      {runs.isPending ? <p aria-live="polite">Loading runs…</p> : null}
      {runs.data && runs.data.length === 0 ? (
        <EmptyState title="No runs match">
          Widen the filters above: a run starts when the workflow is published and its trigger fires.
        </EmptyState>
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={ui.table}>
            <caption className="visually-hidden">Runs of this workflow, newest first (up to 50)</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Step</th>
                <th scope="col">Record</th>
                <th scope="col">Version</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <AppLink href={`/runs/${r.id}`} aria-label={`Open run ${r.id} (${r.status})`}>
                      <code>{r.id}</code>
                    </AppLink>
                  </td>
                  <td>
                    <span className={r.status === "failed" ? styles.failures : undefined}>{r.status}</span>
                  </td>
                  <td>{r.step ?? "—"}</td>
                  <td>
                    <RecordTitleLink id={r.record_id} found={records.get(r.record_id)} />
                  </td>
                  <td>v{r.version}</td>
                  <td>{when(r.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
