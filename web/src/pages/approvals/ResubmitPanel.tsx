/**
 * Resubmit a request that was sent back for revision (its submitter, or an admin): an optional
 * comment saying what changed, then the workflow asks again in a new round.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { type ApprovalDetail, approvalKeys, refreshApprovals, resubmit } from "../../api/approvals";
import { ui } from "../../components/ui";
import styles from "./Approvals.module.css";
import { commentProblem, refusalWords } from "./refusals";

export function ResubmitPanel({ request, onDone }: { request: ApprovalDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [comment, setComment] = useState("");
  const mutation = useMutation({
    mutationFn: () => resubmit(request.id, comment),
    onSuccess: async (after) => {
      onDone();
      queryClient.setQueryData(approvalKeys.one(request.id), after);
      await refreshApprovals(queryClient);
    },
  });
  const fieldError = commentProblem(mutation.error);
  const sentBack = [...request.history].reverse().find((h) => h.kind === "voted" && h.detail.decision === "revise");
  return (
    <section className={styles.card} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Sent back to you for revision</h2>
      {sentBack ? (
        <p>
          {String(sentBack.detail.name ?? sentBack.actor?.name ?? "An approver")} asks: “{String(sentBack.detail.comment ?? "")}”
        </p>
      ) : null}
      <p>Change the record as asked, then resubmit: the workflow asks for approval again.</p>
      <form
        className={styles.decide}
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <div className={ui.field}>
          <label htmlFor={`${id}-comment`} className={ui.label}>
            What you changed (optional)
          </label>
          <textarea
            id={`${id}-comment`}
            className={`${ui.input} ${styles.textarea}`}
            value={comment}
            maxLength={2000}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-error` : undefined}
          />
          {fieldError ? (
            <span id={`${id}-error`} className={ui.fieldError}>
              {fieldError}
            </span>
          ) : null}
        </div>
        <div className={styles.actions}>
          <button type="submit" className={ui.button} disabled={mutation.isPending}>
            {mutation.isPending ? "Resubmitting…" : "Resubmit"}
          </button>
        </div>
      </form>
      {mutation.error && !fieldError ? (
        <div role="alert" className={ui.alert}>
          <strong>The request was not resubmitted.</strong> {refusalWords(mutation.error)}
        </div>
      ) : null}
    </section>
  );
}
