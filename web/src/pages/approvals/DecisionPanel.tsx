/**
 * Decide a request: approve, reject or send back for revision, with a comment (required to send
 * back — said in its label, checked before asking, and the server's refusal shown next to it).
 * The choice is confirmed in a dialog that names what will happen; the outcome is said on the page.
 * A refusal that is not about the comment (decided by someone else meanwhile: 409; not an
 * approver, or the submitter: 403) is shown in the panel in the server's words.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { type ApprovalDetail, approvalKeys, type Decision, decide, refreshApprovals } from "../../api/approvals";
import { ApiError } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ui } from "../../components/ui";
import styles from "./Approvals.module.css";
import { commentProblem, refusalWords } from "./refusals";

const CHOICES: { value: Decision; label: string; confirm: string; question: string; effect: string }[] = [
  {
    value: "approve",
    label: "Approve",
    confirm: "Approve",
    question: "Approve this request?",
    effect: "Your approval is recorded with your comment; when the level needs no one else, the workflow goes on along its approved path.",
  },
  {
    value: "reject",
    label: "Reject",
    confirm: "Reject",
    question: "Reject this request?",
    effect: "The request is rejected and the workflow takes its rejected path; the submitter sees your comment.",
  },
  {
    value: "revise",
    label: "Send back for revision",
    confirm: "Send back",
    question: "Send this request back for revision?",
    effect: "The submitter is asked to change the record and resubmit; your comment tells them what to revise.",
  },
];

/** What the page says once a decision is recorded (the panel itself goes: there is nothing left to decide). */
export const DONE_WORDS: Record<Decision, string> = {
  approve: "You approved this request.",
  reject: "You rejected this request.",
  revise: "You sent this request back for revision; its submitter has been asked to resubmit.",
};

export function DecisionPanel({
  request,
  onDone,
  onOvertaken,
}: {
  request: ApprovalDetail;
  onDone: (decision: Decision) => void;
  /** Someone decided first (409): the page says so, and reads the request again — this panel then goes. */
  onOvertaken: (refusal: string) => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const [choice, setChoice] = useState<Decision>("approve");
  const [comment, setComment] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: () => decide(request.id, choice, comment),
    onSuccess: async (after) => {
      setConfirming(false);
      onDone(choice);
      queryClient.setQueryData(approvalKeys.one(request.id), after);
      await refreshApprovals(queryClient);
    },
    onError: async (error) => {
      setConfirming(false);
      const onComment = commentProblem(error);
      if (onComment) setFieldError(onComment);
      if (error instanceof ApiError && error.status === 409) {
        onOvertaken(refusalWords(error));
        await refreshApprovals(queryClient);
      }
    },
  });
  const picked = CHOICES.find((c) => c.value === choice) ?? (CHOICES[0] as (typeof CHOICES)[number]);
  const commentId = `${id}-comment`;
  const errorId = `${id}-comment-error`;
  const refusal = mutation.error && !commentProblem(mutation.error) ? mutation.error : null;

  const ask = () => {
    mutation.reset();
    if (choice === "revise" && comment.trim() === "") {
      setFieldError("Say what to revise: a request is sent back with a comment.");
      document.getElementById(commentId)?.focus();
      return;
    }
    setFieldError(undefined);
    setConfirming(true);
  };

  return (
    <section className={styles.card} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Your decision</h2>
      <form
        className={styles.decide}
        onSubmit={(e) => {
          e.preventDefault();
          ask();
        }}
      >
        <fieldset className={styles.decisionChoices}>
          <legend>Decision</legend>
          {CHOICES.map((c) => (
            <label key={c.value} className={styles.choice}>
              <input
                type="radio"
                name={`${id}-decision`}
                value={c.value}
                checked={choice === c.value}
                onChange={() => setChoice(c.value)}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <div className={ui.field}>
          <label htmlFor={commentId} className={ui.label}>
            {choice === "revise" ? "Comment (required: what should be revised)" : "Comment (optional)"}
          </label>
          <textarea
            id={commentId}
            className={`${ui.input} ${styles.textarea}`}
            value={comment}
            maxLength={2000}
            onChange={(e) => {
              setComment(e.target.value);
              if (fieldError) setFieldError(undefined);
            }}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? errorId : undefined}
          />
          {fieldError ? (
            <span id={errorId} className={ui.fieldError}>
              {fieldError}
            </span>
          ) : null}
        </div>
        <div className={styles.actions}>
          <button type="submit" className={ui.button}>
            {picked.label}…
          </button>
        </div>
      </form>
      {refusal ? (
        <div role="alert" className={ui.alert}>
          <strong>Your decision was not recorded.</strong> {refusalWords(refusal)}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={picked.question}
        confirm={picked.confirm}
        danger={choice === "reject"}
        onConfirm={() => mutation.mutate()}
        pending={mutation.isPending}
        pendingLabel="Recording…"
      >
        “{request.summary}”. {picked.effect}
        {comment.trim() ? ` Your comment: “${comment.trim()}”.` : " No comment."}
      </ConfirmDialog>
    </section>
  );
}
