/**
 * The workflows list: each workflow's status, live version, runs and failures in the last 7 days,
 * who changed it last and when, why it exists (its description), its review status (due in N
 * days / overdue since …) and its overrides in the last 30 days; filtered by status and by
 * overdue review. Admins
 * and managers start a new one here (New workflow → /workflows/new).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { when } from "../components/time";
import { ErrorMessage, PageHeader, ui } from "../components/ui";
import { reviewWords } from "./workflows/review-words";
import { StatusBadge } from "./workflows/StatusBadge";
import { byWhom, STATUS_MEANING, STATUS_WORDS, type WorkflowStatus } from "./workflows/words";
import styles from "./workflows/workflows.module.css";

type Filter = WorkflowStatus | "all";

export const workflowsQuery = {
  queryKey: ["workflows"],
  queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data as Schemas["WorkflowSummary"][],
};

/** Roles that make workflows (the API's rule: admins and managers). */
const MANAGERS = new Set(["admin", "manager"]);

export function Workflows() {
  const { session } = useRouteContext({ from: "/app" });
  const workflows = useQuery(workflowsQuery);
  const [filter, setFilter] = useState<Filter>("all");
  const [overdueOnly, setOverdueOnly] = useState(false);
  const filterId = useId();
  const reviewId = useId();
  const shown = (workflows.data ?? []).filter((w) => (filter === "all" || w.status === filter) && (!overdueOnly || w.review?.overdue));

  return (
    <>
      <PageHeader title="Workflows">What runs on its own when records change, forms arrive or time passes.</PageHeader>
      <div className={styles.toolbar}>
        <div className={styles.filter}>
          <label htmlFor={filterId} className={ui.label}>
            Status
          </label>
          <select id={filterId} className={styles.select} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">All</option>
            {(Object.keys(STATUS_WORDS) as WorkflowStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]} — {STATUS_MEANING[s]}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filter}>
          <label htmlFor={reviewId} className={ui.label}>
            Review
          </label>
          <select
            id={reviewId}
            className={styles.select}
            value={overdueOnly ? "overdue" : "all"}
            onChange={(e) => setOverdueOnly(e.target.value === "overdue")}
          >
            <option value="all">All</option>
            <option value="overdue">Overdue for review</option>
          </select>
        </div>
        <div className={styles.toolbarLinks}>
          <Link to="/recipes" className={styles.linkButton}>
            Recipe gallery
          </Link>
          {MANAGERS.has(session.user.role) ? (
            <Link to="/workflows/new" className={ui.button}>
              New workflow
            </Link>
          ) : null}
        </div>
      </div>
      {workflows.error ? <ErrorMessage error={workflows.error} what="the workflows" /> : null}
      {workflows.isPending ? <p aria-live="polite">Loading workflows…</p> : null}
      {workflows.data && workflows.data.length === 0 ? (
        <section className={ui.empty} aria-label="No workflows yet">
          <h2>No workflows yet</h2>
          <p>
            Install one from the <Link to="/recipes">recipe gallery</Link>: ready workflows such as speed-to-lead or the contract renewal
            reminder, as a draft or published in one click — or start one from scratch with New workflow.
          </p>
        </section>
      ) : null}
      {workflows.data && workflows.data.length > 0 && shown.length === 0 && overdueOnly ? (
        <section className={ui.empty} aria-label="No workflows overdue for review">
          <h2>No workflows overdue for review</h2>
          <p>Every live workflow has been reviewed on time.</p>
        </section>
      ) : null}
      {workflows.data && workflows.data.length > 0 && shown.length === 0 && !overdueOnly ? (
        <section className={ui.empty} aria-label={`No ${STATUS_WORDS[filter as WorkflowStatus].toLowerCase()} workflows`}>
          <h2>No {STATUS_WORDS[filter as WorkflowStatus].toLowerCase()} workflows</h2>
          <p>Choose another status, or install a workflow from the recipe gallery.</p>
        </section>
      ) : null}
      {shown.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={`${ui.table} ${styles.stackable}`}>
            <caption className="visually-hidden">Workflows{filter === "all" ? "" : `, ${STATUS_WORDS[filter].toLowerCase()} only`}</caption>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Live version</th>
                <th scope="col">Runs, last 7 days</th>
                <th scope="col">Failures, last 7 days</th>
                <th scope="col">Last changed</th>
                <th scope="col">Review</th>
                <th scope="col">Overrides, last 30 days</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((w) => (
                <tr key={w.id}>
                  <td>
                    <Link to="/workflows/$id" params={{ id: w.id }} className={styles.name}>
                      {w.name}
                    </Link>
                    <p className={styles.description}>{w.description ?? "No description: say why this workflow exists."}</p>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={w.status} />
                  </td>
                  <td data-label="Live version" className={styles.number}>
                    {w.live_version === null ? "none" : `v${w.live_version}`}
                  </td>
                  <td data-label="Runs, last 7 days" className={styles.number}>
                    {w.runs_7d}
                  </td>
                  <td data-label="Failures, last 7 days" className={`${styles.number} ${w.failures_7d > 0 ? styles.failures : ""}`}>
                    {w.failures_7d}
                  </td>
                  <td data-label="Last changed">
                    {when(w.updated_at)}
                    <br />
                    <span className={styles.muted}>by {byWhom(w.updated_by)}</span>
                  </td>
                  <td data-label="Review">
                    {w.review ? (
                      <>
                        <span className={w.review.overdue ? styles.overdue : undefined}>{reviewWords(w.review)}</span>
                        <br />
                        <span className={styles.muted}>{w.review.owner ? w.review.owner.name : "no owner"}</span>
                      </>
                    ) : (
                      <span className={styles.muted}>—</span>
                    )}
                  </td>
                  <td data-label="Overrides, last 30 days" className={`${styles.number} ${w.overrides_30d > 0 ? styles.failures : ""}`}>
                    {w.overrides_30d}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
