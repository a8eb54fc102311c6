/**
 * The workflow page's graph of its live version with runs on it (issue 15, item 6): each step
 * shows how many runs started in the chosen period passed it, wait there now and failed there
 * (GET /workflows/{id}/step-counts, polled as a list others change); a count opens the runs list
 * filtered to exactly those runs (/runs?workflow=&version=&since=&step=&step_state=).
 */
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { LIST_MS } from "../../api/live";
import type { WorkflowDefinition } from "../../components/graph/definition";
import type { CountState, StepRunCounts } from "../../components/graph/graph-model";
import { WorkflowGraph } from "../../components/graph/WorkflowGraph";
import { ErrorMessage, ui } from "../../components/ui";
import styles from "./workflows.module.css";

const PERIODS = { "1d": ["last 24 hours", 1], "7d": ["last 7 days", 7], "30d": ["last 30 days", 30] } as const;
type Period = keyof typeof PERIODS;

export function GraphWithRunCounts({
  workflowId,
  name,
  version,
  definition,
  counted,
}: {
  workflowId: string;
  name: string;
  version: number;
  definition: WorkflowDefinition;
  /** Whether to count runs on it: the live version's graph does; a draft's has none to count. */
  counted: boolean;
}) {
  const navigate = useNavigate();
  const [period, setPeriod] = useState<Period>("7d");
  const periodId = useId();
  const counts = useQuery({
    queryKey: ["step-counts", workflowId, version, period],
    enabled: counted,
    queryFn: async () => {
      const since = new Date(Date.now() - PERIODS[period][1] * 86_400_000).toISOString();
      return unwrap(
        await api.GET("/api/v1/workflows/{id}/step-counts", {
          params: { path: { id: workflowId }, query: { version: String(version), since } },
        }),
      );
    },
    // Runs move on by themselves: the counts follow at the pace of a list others change.
    refetchInterval: LIST_MS,
  });
  const data = counts.data;

  const open = (step: string, state: CountState) => {
    if (!data) return;
    navigate({ to: "/runs", search: { workflow: workflowId, version, since: data.since, step, step_state: state } });
  };

  return (
    <section className={ui.section} aria-labelledby="graph">
      <h2 id="graph">
        Graph of version {version}
        {counted ? " (live)" : ""}
      </h2>
      {counted ? (
        <div className={styles.toolbar}>
          <p className={styles.muted}>
            Each step shows how many runs started in the period passed it, wait there now, or failed there. Choose a number to see those
            runs.
          </p>
          <div className={styles.filter}>
            <label htmlFor={periodId} className={ui.label}>
              Runs started in the
            </label>
            <select id={periodId} className={styles.select} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
              {(Object.keys(PERIODS) as Period[]).map((p) => (
                <option key={p} value={p}>
                  {PERIODS[p][0]}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      {counts.error ? <ErrorMessage error={counts.error} what="the runs per step" /> : null}
      <div className={styles.graph}>
        <WorkflowGraph
          definition={definition}
          label={`Graph of ${name}, version ${version}`}
          {...(counted && data
            ? {
                counts: data.steps as Record<string, StepRunCounts>,
                onOpenCount: open,
                countsPeriod: `runs started in the ${PERIODS[period][0]}`,
              }
            : {})}
        />
      </div>
    </section>
  );
}
