/**
 * /approvals/$id: one approval request as its approvers and submitter read it — the record it is
 * about, what is at stake (each field's value when asked and now, a change marked in words and
 * colour), why these people were asked (the route), the levels and votes, status and due, the
 * rounds and the full history — and what the reader may do: decide, or resubmit once sent back.
 * Polled while pending, so a decision made elsewhere (an email link, another approver) shows.
 */
import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useState } from "react";
import { type ApprovalDetail, approvalQuery, type Decision } from "../../api/approvals";
import { ApiError } from "../../api/client";
import { LIST_MS } from "../../api/live";
import { AppLink } from "../../components/AppLink";
import { fullTime, timeAgo, when } from "../../components/time";
import { EmptyState, ErrorMessage, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import recordStyles from "../record/RecordPage.module.css";
import { readableWhy } from "../record/words";
import styles from "./Approvals.module.css";
import { DecisionPanel, DONE_WORDS } from "./DecisionPanel";
import { History, Rounds } from "./History";
import { Levels } from "./Levels";
import { LockBadge, StatusBadge } from "./parts";
import { ResubmitPanel } from "./ResubmitPanel";
import { pluralOf, stakeChanged, stakeValue } from "./words";

function Stake({ stake, lock }: { stake: ApprovalDetail["stake"]; lock: string }) {
  return (
    <section className={styles.card} aria-labelledby="stake-heading">
      <h2 id="stake-heading">What is at stake</h2>
      {stake.length === 0 ? (
        <p>The step names no field; read the summary and the record.</p>
      ) : (
        <table className={ui.table} aria-label="Fields at stake">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">When asked</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {stake.map((s) => {
              const changed = stakeChanged(s);
              return (
                <tr key={s.field}>
                  <th scope="row">{s.label}</th>
                  <td>{stakeValue(s.value)}</td>
                  <td className={changed ? styles.changed : undefined}>
                    {stakeValue(s.now)}
                    {changed ? " (changed since it was asked)" : ""}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className={styles.muted}>
        {lock === "record"
          ? "The whole record is locked while the request is pending."
          : lock === "fields"
            ? "These fields are locked while the request is pending."
            : "Nothing is locked while the request is pending."}
      </p>
    </section>
  );
}

export function RequestPage() {
  const { id } = useParams({ from: "/app/approvals/$id" });
  const objects = useQuery(objectsQuery);
  const [done, setDone] = useState<string | null>(null);
  const [overtaken, setOvertaken] = useState<string | null>(null);
  const request = useQuery({
    ...approvalQuery(id),
    refetchInterval: (q) => (q.state.data?.status === "pending" || q.state.data?.status === "revise" ? LIST_MS : false),
  });
  if (request.error instanceof ApiError && request.error.status === 404)
    return (
      <>
        <h1>Approval request not found</h1>
        <EmptyState title="No request here that you may see">
          A request is shown to its approvers, its submitter, admins and managers. The link may be mistyped, or the request belongs to
          someone else. <AppLink href="/approvals">Open your approvals</AppLink>.
        </EmptyState>
      </>
    );
  if (request.error) return <ErrorMessage error={request.error} what="this approval request" />;
  if (!request.data) return <p aria-live="polite">Loading the request…</p>;
  const r = request.data;
  const recordHref = `/records/${pluralOf(objects.data, r.object)}/${encodeURIComponent(r.record.id)}`;
  const objectLabel = objects.data?.find((o) => o.name === r.object)?.label ?? r.object;
  const canDecide = r.you_can.includes("decide");
  const canResubmit = r.you_can.includes("resubmit");
  return (
    <div className={styles.page}>
      <header>
        <p className={recordStyles.kicker}>Approval request{r.round > 1 ? ` · round ${r.round}` : ""}</p>
        <h1 className={recordStyles.title}>{r.summary}</h1>
        <p className={recordStyles.meta}>
          <span>
            Status: <StatusBadge status={r.status} />
          </span>
          <span>
            {objectLabel}: <AppLink href={recordHref}>{r.record.title ?? r.record.id}</AppLink>{" "}
            {r.status === "pending" && r.lock !== "none" ? (
              <LockBadge label={r.lock === "record" ? "Record locked" : "Fields locked"} />
            ) : null}
          </span>
        </p>
      </header>
      {done ? (
        <p role="status" className={styles.done}>
          {done}
        </p>
      ) : null}
      {overtaken ? (
        <div role="alert" className={ui.alert}>
          <strong>Your decision was not recorded.</strong> {overtaken}
        </div>
      ) : null}
      <div className={styles.grid}>
        <div className={styles.column}>
          {canDecide ? <DecisionPanel request={r} onDone={(d: Decision) => setDone(DONE_WORDS[d])} onOvertaken={setOvertaken} /> : null}
          {canResubmit ? (
            <ResubmitPanel request={r} onDone={() => setDone("Resubmitted: the workflow asks for approval again in a new round.")} />
          ) : null}
          <Stake stake={r.stake} lock={r.lock} />
          <Levels request={r} />
          <History request={r} />
        </div>
        <div className={styles.column}>
          <section className={styles.card} aria-labelledby="about-heading">
            <h2 id="about-heading">About this request</h2>
            <dl className={styles.facts}>
              <dt>Record</dt>
              <dd>
                <AppLink href={recordHref}>{r.record.title ?? r.record.id}</AppLink> ({objectLabel.toLowerCase()})
              </dd>
              <dt>Asked by</dt>
              <dd>{r.submitter?.name ?? "a workflow"}</dd>
              <dt>Asked</dt>
              <dd>
                <time dateTime={r.created_at} title={fullTime(r.created_at)}>
                  {when(r.created_at)} ({timeAgo(r.created_at)})
                </time>
              </dd>
              <dt>Why these people</dt>
              <dd>{readableWhy(r.route)}</dd>
              {r.status === "pending" ? (
                <>
                  <dt>Waiting on</dt>
                  <dd>{r.waiting_on.length > 0 ? r.waiting_on.join(", ") : "nobody"}</dd>
                  <dt>Due</dt>
                  <dd>{r.due_at ? <time dateTime={r.due_at}>{when(r.due_at)}</time> : "no time limit"}</dd>
                </>
              ) : null}
              {r.outcome ? (
                <>
                  <dt>Outcome</dt>
                  <dd>{r.outcome}</dd>
                </>
              ) : null}
              {r.settled_at ? (
                <>
                  <dt>Decided</dt>
                  <dd>{when(r.settled_at)}</dd>
                </>
              ) : null}
              <dt>Workflow</dt>
              <dd>
                <AppLink href={`/workflows/${encodeURIComponent(r.workflow_id)}`}>the workflow</AppLink> ·{" "}
                <AppLink href={`/runs/${encodeURIComponent(r.run_id)}`}>its run</AppLink>
              </dd>
            </dl>
          </section>
          <Rounds request={r} />
        </div>
      </div>
    </div>
  );
}
