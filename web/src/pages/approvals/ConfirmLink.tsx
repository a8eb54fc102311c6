/**
 * /approvals/confirm#t=<token>: where an approval email's Approve / Reject link lands. It works
 * without signing in (the token is the credential) and never decides on load: it shows what the
 * link would do — "You are about to APPROVE: <summary>", the values at stake, who asked — with an
 * optional comment, and only the Confirm button decides. A forged, expired or used link is
 * refused with what to do instead: open the request in Handoff.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { decideByLink, inspectLink } from "../../api/approvals";
import { ApiError } from "../../api/client";
import { when } from "../../components/time";
import { ui } from "../../components/ui";
import styles from "./Approvals.module.css";
import { forgetLinkToken, readLinkToken } from "./link-token";
import { StakeInline, StatusBadge } from "./parts";
import { commentProblem, humanInstants } from "./refusals";

/** A refused link in words: which of the three it was, the server's reason (its instants in the reader's zone), and what to do. */
function linkRefusal(error: unknown): { title: string; body: string } {
  const detail = error instanceof ApiError ? (error.problem?.detail ?? error.message) : "";
  const said = capital(humanInstants(detail)).replace(/\.?$/, ".");
  if (error instanceof ApiError && error.status === 409)
    return { title: "This link was already used", body: `${said} Open the request in Handoff to see how it was decided.` };
  if (error instanceof ApiError && error.status === 403) return { title: "This link has expired", body: said };
  if (error instanceof ApiError && (error.status === 404 || error.status === 422))
    return {
      title: "This link is not valid",
      body: "Handoff did not send this link, or it was cut short when copied. Open the request in Handoff instead, or use the link from the email as it is.",
    };
  return { title: "The link could not be checked", body: "The server could not be reached. Try again in a moment." };
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

function Frame({ children }: { children: ReactNode }) {
  return (
    <main className={styles.standalone} id="main">
      <div className={styles.brand}>
        <img src="/favicon.svg" alt="" />
        Handoff
      </div>
      {children}
    </main>
  );
}

function OpenInHandoff({ requestId }: { requestId?: string | undefined }) {
  return (
    <p>
      <a className={ui.secondary} href={requestId ? `/approvals/${encodeURIComponent(requestId)}` : "/approvals"}>
        {requestId ? "Open the request in Handoff" : "Open your approvals in Handoff"}
      </a>
    </p>
  );
}

export function ConfirmLink() {
  const id = useId();
  // Read once, before the fragment is taken out of the address bar below.
  const [link] = useState(() => readLinkToken(window.location.hash));
  const [comment, setComment] = useState("");
  useEffect(() => {
    forgetLinkToken();
    // Another link pasted into this tab changes only the fragment, which loads no page: read it afresh.
    const onHashChange = () => {
      const next = readLinkToken(window.location.hash);
      if (next.ok || next.reason === "malformed") window.location.reload();
    };
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  const token = link.ok ? link.token : "";
  const inspected = useQuery({
    queryKey: ["approval-link", token],
    queryFn: () => inspectLink(token),
    enabled: link.ok,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const decided = useMutation({ mutationFn: () => decideByLink(token, comment) });

  if (!link.ok)
    return (
      <Frame>
        <h1>This link is not complete</h1>
        <div role="alert" className={ui.alert}>
          {link.reason === "missing"
            ? "The address has no approval token: open the link from the email as it is, without editing it."
            : "The approval token in this address is cut short or changed: open the link from the email as it is."}
        </div>
        <OpenInHandoff />
      </Frame>
    );
  if (inspected.isPending)
    return (
      <Frame>
        <h1>Checking your approval link…</h1>
        <p aria-live="polite">Nothing is decided until you confirm.</p>
      </Frame>
    );
  if (inspected.error) {
    const why = linkRefusal(inspected.error);
    return (
      <Frame>
        <h1>{why.title}</h1>
        <div role="alert" className={ui.alert}>
          {why.body}
        </div>
        <OpenInHandoff />
      </Frame>
    );
  }
  const { decision, request, approver, expires_at } = inspected.data;
  const verb = decision === "approve" ? "APPROVE" : "REJECT";
  if (decided.data)
    return (
      <Frame>
        <h1>{decision === "approve" ? "Approved" : "Rejected"}</h1>
        <p role="status" className={styles.done}>
          Your decision is recorded: you {decision === "approve" ? "approved" : "rejected"} “{request.summary}”. Status now:{" "}
          <StatusBadge status={decided.data.status} />
        </p>
        <OpenInHandoff requestId={request.id} />
      </Frame>
    );
  const onComment = commentProblem(decided.error);
  const refused = decided.error && !onComment ? linkRefusal(decided.error) : null;
  return (
    <Frame>
      <h1>Confirm your decision</h1>
      <section className={styles.card} aria-labelledby={`${id}-what`}>
        <h2 id={`${id}-what`}>
          You are about to{" "}
          <span className={`${styles.verb} ${decision === "approve" ? styles.verbApprove : styles.verbReject}`}>{verb}</span>:{" "}
          {request.summary}
        </h2>
        <dl className={styles.facts}>
          <dt>At stake</dt>
          <dd>
            <StakeInline stake={request.stake} />
          </dd>
          <dt>Record</dt>
          <dd>{request.record.title ?? request.record.id}</dd>
          <dt>Asked by</dt>
          <dd>{request.submitter?.name ?? "a workflow"}</dd>
          <dt>You decide as</dt>
          <dd>{approver ?? "the approver this link was sent to"}</dd>
          <dt>Link expires</dt>
          <dd>{when(expires_at)}</dd>
        </dl>
        <form
          className={styles.decide}
          onSubmit={(e) => {
            e.preventDefault();
            decided.mutate();
          }}
        >
          <div className={ui.field}>
            <label htmlFor={`${id}-comment`} className={ui.label}>
              Comment (optional)
            </label>
            <textarea
              id={`${id}-comment`}
              className={`${ui.input} ${styles.textarea}`}
              value={comment}
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              aria-invalid={onComment ? true : undefined}
              aria-describedby={onComment ? `${id}-error` : undefined}
            />
            {onComment ? (
              <span id={`${id}-error`} className={ui.fieldError}>
                {onComment}
              </span>
            ) : null}
          </div>
          <div className={styles.actions}>
            <button type="submit" className={ui.button} disabled={decided.isPending}>
              {decided.isPending ? "Recording…" : `Confirm: ${decision === "approve" ? "approve" : "reject"}`}
            </button>
            <span className={styles.muted}>Nothing is decided until you confirm. To send it back for revision, open it in Handoff.</span>
          </div>
        </form>
        {refused ? (
          <div role="alert" className={ui.alert}>
            <strong>{refused.title}.</strong> {refused.body}
          </div>
        ) : null}
      </section>
      <OpenInHandoff requestId={request.id} />
    </Frame>
  );
}
