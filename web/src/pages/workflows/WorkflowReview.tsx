/**
 * A workflow's review (issue 19, item 5): its owner, interval and next review date; a "Mark
 * reviewed" form with a note (for its owner, admins and managers — the API's rule); the history
 * of reviews; and the latest overrides — people changing what it set within 7 days — because
 * repeated overrides mean the rule is stale.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { NoteField } from "../../components/NoteField";
import { when } from "../../components/time";
import { EmptyState, ErrorMessage, ui } from "../../components/ui";
import { intervalWords, reviewDay, reviewWords, valueWords } from "./review-words";
import styles from "./workflows.module.css";

const NOTE_MAX = 2000;
const MANAGERS = new Set(["admin", "manager"]);

export function WorkflowReview({ workflowId, me }: { workflowId: string; me: { id: string; role: string } }) {
  const queryClient = useQueryClient();
  const noteId = useId();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string>();
  const review = useQuery({
    queryKey: ["workflow-review", workflowId],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}/review", { params: { path: { id: workflowId } } })),
  });
  const mark = useMutation({
    mutationFn: async (text: string) =>
      unwrap(await api.POST("/api/v1/workflows/{id}/reviews", { params: { path: { id: workflowId } }, body: { note: text } })),
    onSuccess: async (data) => {
      setNote("");
      queryClient.setQueryData(["workflow-review", workflowId], data);
      await Promise.all(["workflow", "workflows"].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
    },
  });

  const r = review.data?.review ?? null;
  const mayMark = r !== null && (MANAGERS.has(me.role) || r.owner?.id === me.id);

  return (
    <section className={ui.section} aria-labelledby="review">
      <h2 id="review">Review</h2>
      <p className={styles.muted}>
        Every live workflow is looked at again on a schedule: does it still do what its description says? Overrides — people changing what
        it set — are the sign that a rule has gone stale.
      </p>
      {review.error ? <ErrorMessage error={review.error} what="the review" /> : null}
      {review.isPending ? <p aria-live="polite">Loading the review…</p> : null}
      {review.data ? (
        <>
          <dl className={styles.facts}>
            <dt>Review status</dt>
            <dd className={r?.overdue ? styles.failures : undefined}>{reviewWords(r)}</dd>
            {r ? (
              <>
                <dt>Owner</dt>
                <dd>{r.owner ? r.owner.name : "nobody: an admin should name one"}</dd>
                <dt>Next review</dt>
                <dd>
                  {reviewDay(r.next_review_at)} ({intervalWords(r.interval_months)})
                </dd>
              </>
            ) : null}
            <dt>Overrides, last 30 days</dt>
            <dd>{review.data.overrides.count}</dd>
          </dl>

          {mayMark ? (
            <form
              className={styles.reviewForm}
              aria-label="Mark reviewed"
              onSubmit={(e) => {
                e.preventDefault();
                if (note.trim() === "") {
                  setNoteError("Say what you checked: a review needs a note.");
                  return;
                }
                mark.mutate(note.trim());
              }}
            >
              <NoteField
                id={noteId}
                label="Review note"
                hint="What you checked and found, e.g. “Still needed: reps rely on the first call task. Overrides were two holiday cover cases.”"
                value={note}
                error={noteError}
                maxLength={NOTE_MAX}
                className={styles.textarea}
                onChange={(value) => {
                  setNote(value);
                  if (value.trim() !== "") setNoteError(undefined);
                }}
              />
              {mark.error ? (
                <p role="alert" className={ui.fieldError}>
                  Not marked reviewed: {mark.error.message}
                </p>
              ) : null}
              {mark.isSuccess ? (
                <p aria-live="polite">Marked reviewed. The next review is {reviewDay(mark.data.review?.next_review_at ?? "")}.</p>
              ) : null}
              <div>
                <button type="submit" className={ui.button} disabled={mark.isPending}>
                  {mark.isPending ? "Saving…" : "Mark reviewed"}
                </button>
              </div>
            </form>
          ) : null}

          <h3 className={styles.subheading}>Past reviews</h3>
          {review.data.history.length === 0 ? (
            <p className={styles.muted}>Not reviewed yet.</p>
          ) : (
            <ul className={styles.reviewHistory} aria-label="Past reviews">
              {review.data.history.map((h) => (
                <li key={h.id}>
                  <strong>{h.reviewed_by.name}</strong>, {when(h.reviewed_at)}{" "}
                  <span className={styles.muted}>(due {reviewDay(h.due_at)})</span>
                  <p className={styles.note}>{h.note}</p>
                </li>
              ))}
            </ul>
          )}

          <h3 className={styles.subheading}>Latest overrides</h3>
          {review.data.overrides.latest.length === 0 ? (
            <EmptyState title="No overrides">Nobody changed what this workflow set within 7 days of it, in the last 30 days.</EmptyState>
          ) : (
            <div className={styles.tableWrap}>
              <table className={ui.table}>
                <caption className="visually-hidden">Latest overrides, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Record</th>
                    <th scope="col">Field</th>
                    <th scope="col">Workflow set → person set</th>
                    <th scope="col">Who</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {review.data.overrides.latest.map((o) => (
                    <tr key={`${o.record.id}-${o.field}-${o.at}`}>
                      <td>
                        <Link to="/records/$object/$id" params={{ object: o.record.plural, id: o.record.id }}>
                          {o.record.title}
                        </Link>
                      </td>
                      <td>
                        <code>{o.field}</code>
                      </td>
                      <td>
                        {o.workflow_value_label ?? valueWords(o.workflow_value)} → {o.person_value_label ?? valueWords(o.person_value)}
                      </td>
                      <td>{o.by.name}</td>
                      <td>{when(o.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
