/**
 * A workflow's page: why it exists, its trigger, conditions and goal in words, its review (owner,
 * next date, history, "Mark reviewed", latest overrides), its versions (who
 * published each, which is live, and their notes on what changed; two of them compared), its graph
 * (read-only; the live version's with its runs counted per step), its test cases with their last
 * results, a link to replay its triggers against the draft, its runs with filters (each
 * opening the run inspector), its log of suppressions, and archiving it (confirmed; the API
 * refuses roles that may not).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useRouteContext } from "@tanstack/react-router";
import { api, unwrap } from "../api/client";
import type { WorkflowDefinition } from "../components/graph/definition";
import { conditionWords, triggerWords } from "../components/graph/describe";
import { TestCases } from "../components/test-cases/TestCases";
import { when } from "../components/time";
import { ErrorMessage, PageHeader, ui } from "../components/ui";
import { ArchiveWorkflow } from "./workflows/ArchiveWorkflow";
import { CompareVersions } from "./workflows/CompareVersions";
import { GraphWithRunCounts } from "./workflows/GraphWithRunCounts";
import { StatusBadge } from "./workflows/StatusBadge";
import { SuppressionLog } from "./workflows/SuppressionLog";
import { VersionHistory } from "./workflows/VersionHistory";
import { WorkflowReview } from "./workflows/WorkflowReview";
import { WorkflowRuns } from "./workflows/WorkflowRuns";
import { byWhom } from "./workflows/words";
import styles from "./workflows/workflows.module.css";

/** Roles that manage workflows (the API's rule: admins and managers). */
const MANAGERS = new Set(["admin", "manager"]);

export function Workflow() {
  const { id } = useParams({ from: "/app/workflows/$id" });
  const { session } = useRouteContext({ from: "/app" });
  const workflow = useQuery({
    queryKey: ["workflow", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })),
  });

  if (workflow.error) {
    return (
      <>
        <PageHeader title="Workflow" />
        <ErrorMessage error={workflow.error} what="this workflow" />
        <p>
          <Link to="/workflows">Back to the workflows</Link>
        </p>
      </>
    );
  }
  if (!workflow.data) return <p aria-live="polite">Loading the workflow…</p>;

  const w = workflow.data;
  const current = w.versions.find((v) => v.version === (w.live_version ?? w.latest_version)) ?? w.versions[0];
  const def = current?.definition as WorkflowDefinition | undefined;

  return (
    <div className={styles.page}>
      <div>
        <p className={styles.muted}>
          <Link to="/workflows">Workflows</Link> / {w.key}
        </p>
        <div className={styles.titleRow}>
          <PageHeader title={w.name} />
          <StatusBadge status={w.status} />
          {MANAGERS.has(session.user.role) ? (
            <Link to="/workflows/$id/edit" params={{ id: w.id }} className={ui.button}>
              Open in the builder
            </Link>
          ) : null}
          {MANAGERS.has(session.user.role) && w.live_version !== null ? (
            <Link to="/workflows/$id/replay" params={{ id: w.id }} className={ui.secondary}>
              What would this change have done?
            </Link>
          ) : null}
        </div>
        <section className={ui.section} aria-labelledby="why">
          <h2 id="why">Why it exists</h2>
          <p>{w.description ?? "Its definition has no description yet: the next version should say why this workflow exists."}</p>
        </section>
      </div>

      {def ? (
        <section className={ui.section} aria-labelledby="how">
          <h2 id="how">What it does</h2>
          <dl className={styles.facts}>
            <dt>Trigger</dt>
            <dd>{triggerWords(def.trigger, def.object)}</dd>
            <dt>Only if</dt>
            <dd>{def.conditions ? conditionWords(def.conditions) : `every ${def.object} that triggers it`}</dd>
            <dt>Goal</dt>
            <dd>
              {def.goal ? `${conditionWords(def.goal)} — the record leaves the workflow once it is met` : "none: every run goes to its end"}
            </dd>
            <dt>Runs, last 7 days</dt>
            <dd>
              {w.runs_7d}, of which {w.failures_7d} failed
            </dd>
            <dt>Last changed</dt>
            <dd>
              {when(w.updated_at)} by {byWhom(w.updated_by)}
            </dd>
            {w.deferred.count > 0 ? (
              <>
                <dt>Waiting to start</dt>
                <dd>
                  {w.deferred.count} enrolments over the rate cap, starting from {when(w.deferred.next_start_at)}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}

      <WorkflowReview workflowId={w.id} me={session.user} />

      <section className={ui.section} aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        <VersionHistory versions={w.versions} liveVersion={w.live_version} name={w.name} />
        <h3 className={styles.subheading}>What changed between two versions</h3>
        <CompareVersions workflowId={w.id} versions={w.versions} live={w.live_version} />
      </section>

      {def && current ? (
        <GraphWithRunCounts
          workflowId={w.id}
          name={w.name}
          version={current.version}
          definition={def}
          counted={current.version === w.live_version}
        />
      ) : null}

      <TestCases workflowId={w.id} manage={MANAGERS.has(session.user.role)} />

      <WorkflowRuns workflowId={w.id} name={w.name} object={w.object} />
      <SuppressionLog workflowId={w.id} />

      {MANAGERS.has(session.user.role) && w.status !== "archived" ? (
        <section className={ui.section} aria-labelledby="retire">
          <h2 id="retire">Retire it</h2>
          <p className={styles.muted}>Archiving stops new runs; runs under way finish on their version.</p>
          <div>
            <ArchiveWorkflow id={w.id} name={w.name} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
