/**
 * The queue editor, for a new queue and for an existing one: name and description, strategy
 * (the API's three, in words), members with weight and cap, the availability and capacity
 * switches, how open work is counted, and the fallback. The server decides what is valid: a
 * refusal keeps everything typed and shows each problem beside the control its path names
 * (`members[0].weight`, `fallback.queue`, `load.where.field`), with a summary at the top.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorMessage, Field, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { problemsOf, type Queue, STRATEGY_NAMES, type Strategy } from "./data";
import { FieldError } from "./FieldError";
import { QueueFallback } from "./QueueFallback";
import { QueueLoad } from "./QueueLoad";
import { QueueMembers } from "./QueueMembers";
import { QUEUE_WRITE_STALES } from "./queue-api";
import { bodyOf, pathWords, type QueueDraft } from "./queue-form";
import { problemsExactlyAt, serverIssues } from "./queue-problems";
import styles from "./Routing.module.css";

/** The API schema's strategies: STRATEGY_NAMES is typed over its enum, so a new one is a compile error until it has its words. */
const STRATEGIES = Object.keys(STRATEGY_NAMES) as Strategy[];

export function QueueForm({
  initial,
  queueId,
  save,
  submitLabel,
  onSaved,
}: {
  initial: QueueDraft;
  /** The queue being edited; undefined for a new one. */
  queueId: string | undefined;
  save: (body: ReturnType<typeof bodyOf>) => Promise<Queue>;
  submitLabel: string;
  onSaved: (q: Queue) => void;
}) {
  const queryClient = useQueryClient();
  const objects = useQuery(objectsQuery);
  const [draft, setDraft] = useState(initial);
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async (q) => {
      await Promise.all(QUEUE_WRITE_STALES.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })));
      onSaved(q);
    },
  });
  const problems = problemsOf(mutation.error);
  const issues = serverIssues(mutation.error);
  const exactly = (path: string) => problemsExactlyAt(mutation.error, path);
  const update = (patch: Partial<QueueDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const needsLoad =
    draft.strategy === "least_loaded"
      ? "least loaded compares open work"
      : draft.respect_capacity
        ? "caps are compared with open work"
        : undefined;

  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  return (
    <form
      className={styles.page}
      noValidate
      aria-label={queueId ? "Edit queue" : "New queue"}
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate(bodyOf(draft));
      }}
    >
      {problems ? (
        <div role="alert" className={ui.alert}>
          <strong>Not saved:</strong> {problems.summary}.
          {issues.length > 0 ? (
            <ul>
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  {pathWords(i.path)}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
          Each problem is also shown by its field below; what you typed is kept.
        </div>
      ) : null}
      <section className={styles.card} aria-labelledby="queue-about">
        <h2 id="queue-about">Name and purpose</h2>
        <Field
          id="queue-name"
          label="Name"
          hint="Rules and workflows send records to the queue by this name."
          value={draft.name}
          onChange={(e) => update({ name: e.target.value })}
          error={problems?.at("name")}
          required
        />
        <div className={styles.formField}>
          <label htmlFor="queue-description" className={styles.label}>
            Description
          </label>
          <textarea
            id="queue-description"
            className={styles.prose}
            value={draft.description}
            onChange={(e) => update({ description: e.target.value })}
            aria-invalid={problems?.at("description") ? true : undefined}
            aria-describedby={problems?.at("description") ? "queue-description-error" : undefined}
          />
          <FieldError id="queue-description" message={problems?.at("description")} />
        </div>
      </section>
      <section className={styles.card} aria-labelledby="queue-picking">
        <h2 id="queue-picking">Who gets the next record</h2>
        <fieldset className={styles.fieldset} aria-describedby={problems?.at("strategy") ? "strategy-error" : undefined}>
          <legend>Strategy</legend>
          {STRATEGIES.map((s) => (
            <label key={s} className={styles.radio}>
              <input type="radio" name="strategy" value={s} checked={draft.strategy === s} onChange={() => update({ strategy: s })} />
              <span>
                {STRATEGY_NAMES[s].label} <span className={styles.muted}>— {STRATEGY_NAMES[s].hint}</span>
              </span>
            </label>
          ))}
          <FieldError id="strategy" message={problems?.at("strategy")} />
        </fieldset>
        <QueueMembers
          members={draft.members}
          onChange={(members) => {
            // A removed member shifts the rows below it: the server's problems by index (members[2]…) no longer fit them.
            if (members.length < draft.members.length) mutation.reset();
            update({ members });
          }}
          problems={problems}
          exactly={exactly}
          weighted={draft.strategy === "weighted_round_robin"}
        />
      </section>
      <section className={styles.card} aria-labelledby="queue-eligible">
        <h2 id="queue-eligible">Who can take one now</h2>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={draft.respect_availability}
            onChange={(e) => update({ respect_availability: e.target.checked })}
          />
          Skip members who are unavailable, outside their working hours or on PTO
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.respect_capacity} onChange={(e) => update({ respect_capacity: e.target.checked })} />
          Skip members whose open work has reached their cap
        </label>
        {objects.data ? (
          <QueueLoad load={draft.load} onChange={(load) => update({ load })} objects={objects.data} issues={issues} needed={needsLoad} />
        ) : (
          <p aria-live="polite">Loading the fields…</p>
        )}
        <QueueFallback value={draft.fallback} onChange={(fallback) => update({ fallback })} selfId={queueId} error={exactly} />
      </section>
      <div className={styles.row}>
        <button type="submit" className={ui.button} disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : submitLabel}
        </button>
        <Link to="/routing/queues" className={ui.secondary}>
          Back to the queues
        </Link>
        <p className={styles.muted} aria-live="polite">
          {mutation.isSuccess && queueId ? `Saved as version ${mutation.data.version}.` : ""}
        </p>
      </div>
    </form>
  );
}
