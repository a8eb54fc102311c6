/**
 * The workflow page's graph of its live version with runs on it (issue 15, item 6): each step
 * shows how many runs started in the chosen period passed it, wait there now and failed there
 * (GET /workflows/{id}/step-counts, polled as a list others change); a count opens the runs list
 * filtered to exactly those runs (/runs?workflow=&version=&since=&step=&step_state=).
 */
import { useId, useState } from "react";
import type { WorkflowDefinition } from "../../components/graph/definition";
import { WorkflowGraph } from "../../components/graph/WorkflowGraph";
import { ErrorMessage, ui } from "../../components/ui";
import { PERIOD_KEYS, PERIODS, type Period, useStepCounts } from "./step-counts";
import styles from "./workflows.module.css";

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
  const [period, setPeriod] = useState<Period>("7d");
  const periodId = useId();
  const runs = useStepCounts(workflowId, counted ? version : null, period);

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
              {PERIOD_KEYS.map((p) => (
                <option key={p} value={p}>
                  {PERIODS[p][0]}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      {runs.error ? <ErrorMessage error={runs.error} what="the runs per step" /> : null}
      <div className={styles.graph}>
        <WorkflowGraph
          definition={definition}
          label={`Graph of ${name}, version ${version}`}
          {...(counted && runs.counts ? { counts: runs.counts, onOpenCount: runs.open, countsPeriod: runs.period } : {})}
        />
      </div>
    </section>
  );
}
