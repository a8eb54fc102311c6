/**
 * The run inspector (/runs/$id): one run of a workflow on one record — its header (workflow,
 * version, record, status, times), the steps in order with their why, effects and delivery
 * attempts, the same run drawn on the workflow's graph, and the controls an admin or manager may
 * use. The workflow and the record are `AppLink`s (the record by its title, read as the runs list reads it: records/RecordTitles.tsx). Live: while the run is not over, the run query refetches every 2 s through the Query
 * cache (polling, not server-sent events: it needs no fan-out between server processes).
 */

import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useRouteContext } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { api, unwrap } from "../api/client";
import { AppLink } from "../components/AppLink";
import type { WorkflowDefinition } from "../components/graph/definition";
import type { RunView } from "../components/graph/graph-model";
import { WorkflowGraph } from "../components/graph/WorkflowGraph";
import { WorkflowStepList } from "../components/graph/WorkflowStepList";
import { fullTime } from "../components/time";
import { ErrorMessage, ui } from "../components/ui";
import { RecordTitleLink, useRecordTitles } from "../records/RecordTitles";
import styles from "./RunInspector.module.css";
import { RunControls } from "./run/RunControls";
import { RunSteps, stepDomId } from "./run/RunSteps";
import { type RunDetail, TERMINAL_STATUSES } from "./run/run-types";
import { approvalWaitWords, elapsedWords, statusWords } from "./run/run-words";

interface WorkflowWithVersions {
  id: string;
  key: string;
  name: string;
  object: string;
  versions: Array<{ version: number; definition: WorkflowDefinition }>;
}

const POLL_MS = 2000;

const STATUS_CLASS: Partial<Record<RunDetail["status"], string>> = {
  failed: styles.statusFailed,
  completed: styles.statusCompleted,
};

export function RunInspector() {
  const { id } = useParams({ from: "/app/runs/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const canControl = session.user.role === "admin" || session.user.role === "manager";

  const run = useQuery({
    queryKey: ["run", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/runs/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && TERMINAL_STATUSES.includes(q.state.data.status) ? false : POLL_MS),
  });
  const workflowId = run.data?.workflow_id;
  const workflow = useQuery({
    queryKey: ["workflow", workflowId],
    enabled: workflowId !== undefined,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id: workflowId ?? "" } } })) as WorkflowWithVersions,
  });
  const definition = workflow.data?.versions.find((v) => v.version === run.data?.version)?.definition;
  const recordRef = workflow.data && run.data ? [{ object: workflow.data.object, id: run.data.record_id }] : [];
  const record = useRecordTitles(recordRef);

  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = useCallback(
    (seq: number) =>
      setOpen((prev) => {
        const next = new Set(prev);
        if (next.has(seq)) next.delete(seq);
        else next.add(seq);
        return next;
      }),
    [],
  );
  const [selectedStep, setSelectedStep] = useState<string | undefined>();
  const steps = run.data?.steps;
  // A node chosen on the graph: open that step's latest entry in the list and move there.
  const onSelectStep = useCallback(
    (stepId: string) => {
      setSelectedStep(stepId);
      const entry = [...(steps ?? [])].reverse().find((s) => s.step === stepId);
      if (!entry) return;
      setOpen((prev) => new Set(prev).add(entry.seq));
      requestAnimationFrame(() => {
        const button = document.getElementById(stepDomId(entry.seq));
        button?.scrollIntoView({ block: "center", behavior: "smooth" });
        button?.focus({ preventScroll: true });
      });
    },
    [steps],
  );

  const view: RunView | undefined = useMemo(
    () =>
      run.data
        ? {
            status: run.data.status,
            step: run.data.step,
            path: run.data.steps.flatMap((s) => (s.step ? [{ step: s.step, outcome: s.outcome }] : [])),
          }
        : undefined,
    [run.data],
  );

  if (run.error) {
    return (
      <>
        <h1 className={styles.title}>Run</h1>
        <ErrorMessage error={run.error} what={`run ${id}`} />
        <p>
          <Link to="/runs">Back to the runs</Link>
        </p>
      </>
    );
  }
  if (!run.data) return <p aria-live="polite">Loading the run…</p>;
  const r = run.data;
  const w = workflow.data;
  const live = !TERMINAL_STATUSES.includes(r.status);
  const endMs = r.finished_at ? Date.parse(r.finished_at) : Date.now();

  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <Link to="/runs">Runs</Link> / <span>{r.id}</span>
      </nav>
      <header className={styles.header}>
        <div className={styles.headline}>
          <h1 className={styles.title}>{w ? `${w.name} on a ${w.object}` : "Run"}</h1>
          <span className={`${ui.badge} ${STATUS_CLASS[r.status] ?? ""}`} data-testid="run-status">
            {statusWords(r.status)}
          </span>
          {live ? (
            <span className={styles.live} aria-hidden="true">
              updating
            </span>
          ) : null}
        </div>
        {r.description ? <p className={styles.lede}>{r.description}</p> : null}
        <dl className={styles.summary}>
          <div>
            <dt>Workflow</dt>
            <dd>{w ? <AppLink href={`/workflows/${encodeURIComponent(w.id)}`}>{w.name}</AppLink> : r.workflow_id}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>v{r.version}</dd>
          </div>
          <div>
            <dt>Record</dt>
            <dd>
              <RecordTitleLink id={r.record_id} found={record.get(r.record_id)} />
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{fullTime(r.created_at)}</dd>
          </div>
          <div>
            <dt>Ended</dt>
            <dd>{r.finished_at ? fullTime(r.finished_at) : "not yet"}</dd>
          </div>
          <div>
            <dt>{r.finished_at ? "Took" : "Running for"}</dt>
            <dd>{elapsedWords(endMs - Date.parse(r.created_at))}</dd>
          </div>
        </dl>
        <p role="status" className={r.status === "failed" ? styles.stateFailed : styles.state}>
          {stateSentence(r)}
        </p>
        <RunControls run={r} canControl={canControl} />
      </header>

      <div className={styles.body}>
        <section aria-labelledby="steps-heading" className={styles.stepsPanel}>
          <h2 id="steps-heading">Steps</h2>
          <p className={styles.hint}>In the order they ran. Open a step to see its input, why it went the way it did, and what it did.</p>
          <RunSteps steps={r.steps} definition={definition} deliveries={r.deliveries} open={open} onToggle={toggle} />
        </section>
        <section aria-labelledby="graph-heading" className={styles.graphPanel}>
          <h2 id="graph-heading">The run on the workflow</h2>
          {definition ? (
            <>
              <WorkflowGraph
                definition={definition}
                run={view}
                onSelectStep={onSelectStep}
                selectedStep={selectedStep}
                label={`Graph of ${definition.name} with this run's path`}
              />
              <details className={styles.inWords}>
                <summary>The workflow in words, with this run's path</summary>
                <WorkflowStepList definition={definition} run={view} />
              </details>
            </>
          ) : workflow.error ? (
            <ErrorMessage error={workflow.error} what="the workflow" />
          ) : (
            <p aria-live="polite">Loading the workflow…</p>
          )}
        </section>
      </div>
    </>
  );
}

/** Where the run stands, in one sentence. */
function stateSentence(r: RunDetail): string {
  switch (r.status) {
    case "running":
      return `Working on step “${r.step}”.`;
    case "waiting": {
      const w = r.wait;
      if (!w) return `Waiting at step “${r.step}”.`;
      if (w.kind === "action") return `Waiting at step “${r.step}” for its external action to be delivered.`;
      if (w.kind === "approval" || w.kind === "revision") return `At step “${r.step}”: ${approvalWaitWords(w)}.`;
      return `Waiting at step “${r.step}” until ${fullTime(w.dueAt)}${w.kind === "wait_for" ? " at the latest" : ""}.`;
    }
    case "completed":
      return `Completed: ${r.reason ?? "reached the end"}.`;
    case "exited":
      return `Left the workflow: ${r.reason ?? ""}.`;
    case "failed":
      return `Failed at step “${r.step}”: ${r.reason ?? "unknown error"}.`;
    case "cancelled":
      return `Cancelled: ${r.reason ?? ""}.`;
  }
}
