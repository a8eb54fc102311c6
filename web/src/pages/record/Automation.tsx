import { AppLink } from "../../components/AppLink";
/**
 * The Automation panel: which workflows are working on this record now (running, or waiting —
 * for what, until when, and what comes then) and which finished and how. Each run links to the
 * run inspector and its workflow. Kept fresh by the page's polling (live.ts).
 */
import type { Run, Workflow } from "./data";
import styles from "./RecordPage.module.css";
import { clock, relative } from "./words";

const FINISHED: Record<string, string> = {
  completed: "Completed",
  exited: "Left the workflow",
  failed: "Failed",
  cancelled: "Cancelled",
};

function finishedLabel(run: Run): string {
  // A run that left through its goal reached what it was for: say so.
  if (run.status === "exited" && /goal/i.test(run.reason ?? "")) return "Goal reached";
  return FINISHED[run.status] ?? run.status;
}

function WaitLine({ run }: { run: Run }) {
  const w = run.waiting_for;
  if (!w) return <p>Waiting at step “{run.step}”.</p>;
  const until = w.until ? (
    <>
      {" "}
      until <time dateTime={w.until}>{clock(w.until)}</time> ({relative(w.until)})
    </>
  ) : null;
  return (
    <>
      <p className={styles.waitLine}>
        {w.for ? `Waiting for ${w.for}` : "Waiting"}
        {until}
        {w.next_step ? <>; then “{w.next_step}”.</> : "."}
      </p>
      {w.why ? <p className={styles.muted}>{w.why}</p> : null}
    </>
  );
}

function RunItem({ run, workflow }: { run: Run; workflow: Workflow | undefined }) {
  const active = run.status === "running" || run.status === "waiting";
  return (
    <li className={styles.runItem}>
      <div className={styles.runHead}>
        {/* The workflow's page and the run inspector are their own routes (issue 14 §5–6). */}
        <AppLink href={`/workflows/${run.workflow_id}`} className={styles.runName}>
          {workflow?.name ?? "A workflow"}
        </AppLink>
        <span className={active ? styles.badgeActive : run.status === "failed" ? styles.badgeFailed : styles.badgeDone}>
          {active ? (run.status === "waiting" ? "Waiting" : "Running") : finishedLabel(run)}
        </span>
      </div>
      {run.status === "waiting" ? <WaitLine run={run} /> : null}
      {run.status === "running" ? <p>Working on step “{run.step}” now.</p> : null}
      {!active ? (
        <p>
          {run.finished_at ? (
            <>
              <time dateTime={run.finished_at}>{clock(run.finished_at)}</time>
              {run.status === "failed" && run.step ? ` at step “${run.step}”` : ""}
              {run.reason ? `: ${run.reason}` : ""}
            </>
          ) : (
            run.reason
          )}
        </p>
      ) : null}
      <AppLink href={`/runs/${run.id}`} className={styles.small}>
        Open run <span className="visually-hidden">of {workflow?.name ?? "the workflow"}</span>
      </AppLink>
    </li>
  );
}

export function Automation({ runs, workflows, objectLabel }: { runs: Run[]; workflows: Map<string, Workflow>; objectLabel: string }) {
  const active = runs.filter((r) => r.status === "running" || r.status === "waiting");
  const finished = runs.filter((r) => !(r.status === "running" || r.status === "waiting"));
  return (
    <section className={styles.card} aria-labelledby="automation-heading" data-testid="automation">
      <h2 id="automation-heading">Automation</h2>
      <h3>Active now</h3>
      {active.length === 0 ? (
        <p className={styles.muted}>No workflow is working on this {objectLabel.toLowerCase()} right now.</p>
      ) : (
        <ul className={styles.runs} aria-label="Active workflows">
          {active.map((r) => (
            <RunItem key={r.id} run={r} workflow={workflows.get(r.workflow_id)} />
          ))}
        </ul>
      )}
      <h3>Finished</h3>
      {finished.length === 0 ? (
        <p className={styles.muted}>No workflow has finished on it yet.</p>
      ) : (
        <ul className={styles.runs} aria-label="Finished workflows">
          {finished.map((r) => (
            <RunItem key={r.id} run={r} workflow={workflows.get(r.workflow_id)} />
          ))}
        </ul>
      )}
    </section>
  );
}
