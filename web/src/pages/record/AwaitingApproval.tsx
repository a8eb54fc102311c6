/**
 * The record page's "Awaiting approval" panel: the pending approval requests of this record that
 * the reader may open (admins and managers: all; others: the ones they submitted or must decide
 * — the API's rule), each with its summary, who it waits on, when it is due, what it locks and a
 * link to the request. `lockedFields` gives the page the fields to mark with a lock badge.
 */
import { useQuery } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { type ApprovalRequest, approvalKeys, pendingForRecord } from "../../api/approvals";
import { LIST_MS } from "../../api/live";
import { AppLink } from "../../components/AppLink";
import { when } from "../../components/time";
import { ErrorMessage } from "../../components/ui";
import approvalStyles from "../approvals/Approvals.module.css";
import { LockBadge, StakeInline } from "../approvals/parts";
import styles from "./RecordPage.module.css";

export function useRecordApprovals(recordId: string) {
  const { session } = useRouteContext({ from: "/app" });
  const seesAll = session.user.role === "admin" || session.user.role === "manager";
  return useQuery({
    queryKey: approvalKeys.forRecord(recordId, session.user.role),
    queryFn: () => pendingForRecord(recordId, seesAll),
    refetchInterval: LIST_MS,
  });
}

/** Which of the record's fields a pending request locks; "record" when one locks it whole. */
export function lockedFields(requests: readonly ApprovalRequest[] | undefined): { all: boolean; fields: Set<string> } {
  const fields = new Set<string>();
  let all = false;
  for (const r of requests ?? []) {
    if (r.lock === "record") all = true;
    if (r.lock === "fields") for (const s of r.stake) fields.add(s.field);
  }
  return { all, fields };
}

export function AwaitingApproval({ requests, error }: { requests: readonly ApprovalRequest[] | undefined; error: unknown }) {
  if (error) return <ErrorMessage error={error} what="the approvals of this record" />;
  if (!requests || requests.length === 0) return null;
  return (
    <section className={`${styles.card} ${approvalStyles.awaiting}`} aria-labelledby="awaiting-heading">
      <h2 id="awaiting-heading">Awaiting approval</h2>
      {requests.map((r) => (
        <div key={r.id} className={approvalStyles.decide}>
          <p>
            <AppLink href={`/approvals/${encodeURIComponent(r.id)}`}>{r.summary}</AppLink>{" "}
            {r.lock !== "none" ? <LockBadge label={r.lock === "record" ? "Record locked" : "Fields locked"} /> : null}
          </p>
          <p>
            Waiting on <strong>{r.waiting_on.length > 0 ? r.waiting_on.join(", ") : "nobody"}</strong>
            {r.due_at ? <> · due {when(r.due_at)}</> : null}
            {r.submitter ? <> · submitted by {r.submitter.name}</> : null}
          </p>
          <StakeInline stake={r.stake} />
          <p className={approvalStyles.muted}>
            {r.lock === "record"
              ? "The record cannot be changed until the request is decided."
              : r.lock === "fields"
                ? `${r.stake.map((s) => s.label).join(", ")} cannot be changed until the request is decided.`
                : "Nothing is locked meanwhile."}
          </p>
        </div>
      ))}
    </section>
  );
}
