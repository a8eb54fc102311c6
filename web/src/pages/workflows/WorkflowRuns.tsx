/** A workflow's runs, newest first, filtered by status and age; each opens the run inspector. */

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { EmptyState, ErrorMessage, ui } from "../../components/ui";
import { RunsTable } from "../run/RunsTable";
import { STATUS_WORDS } from "../run/run-words";
import styles from "./workflows.module.css";

const SINCE = { "1d": ["last 24 hours", 1], "7d": ["last 7 days", 7], "30d": ["last 30 days", 30], all: ["any time", 0] } as const;
type Since = keyof typeof SINCE;

export function WorkflowRuns({ workflowId, name, object }: { workflowId: string; name: string; object: string }) {
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
      return unwrap(await api.GET("/api/v1/runs", { params: { query } })).data;
    },
  });

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
            {Object.entries(STATUS_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
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
          <RunsTable
            runs={runs.data}
            caption="Runs of this workflow, newest first (up to 50)"
            workflows={new Map([[workflowId, { name, object }]])}
            showWorkflow={false}
            time="started"
          />
        </div>
      ) : null}
    </section>
  );
}
