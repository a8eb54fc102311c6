/**
 * The run's steps in order, each a disclosure: what came in, what the step decided and why
 * (the comparison that chose a branch, the owner's reason, the wait's deadline), what it did,
 * how long it took, its errors and the delivery attempts of its external action. This list is
 * also the graph's text alternative; choosing a node on the graph opens its step here.
 */

import type { WorkflowDefinition } from "../../components/graph/definition";
import { stepWords } from "../../components/graph/describe";
import { fullTime } from "../../components/time";
import styles from "../RunInspector.module.css";
import type { RunDelivery, RunStep } from "./run-types";
import { attemptWords, effectWords, elapsedWords, enqueuedIds, ownerReason } from "./run-words";

const FAILED = new Set(["failed"]);

const EVENT_WORDS: Record<string, string> = {
  retry: "Retried from this step",
  cancel: "Cancelled",
  error: "Error",
  goal: "Goal met",
  unknown: "Unknown step",
};

export function stepDomId(seq: number) {
  return `run-step-${seq}`;
}

export function RunSteps({
  steps,
  definition,
  deliveries,
  open,
  onToggle,
}: {
  steps: readonly RunStep[];
  definition: WorkflowDefinition | undefined;
  deliveries: readonly RunDelivery[];
  open: ReadonlySet<number>;
  onToggle: (seq: number) => void;
}) {
  if (steps.length === 0) return <p>The run has not taken a step yet.</p>;
  // An external action's attempts are on the step that enqueued it and on the one that took its
  // result: list them once, on the first, and point there from the second.
  const firstShown = new Map<string, number>();
  for (const s of steps) for (const a of s.attempts ?? []) if (!firstShown.has(a.outbox_id)) firstShown.set(a.outbox_id, s.seq);
  return (
    <ol className={styles.steps}>
      {steps.map((s) => {
        const spec = s.step ? definition?.steps[s.step] : undefined;
        // An entry logged about the run rather than by the step (a retry, a cancel, the goal met)
        // is titled by what happened; the step's own entries by what the step does.
        const event = spec && s.type !== spec.type ? EVENT_WORDS[s.type] : undefined;
        const words = spec ? { ...stepWords(spec), ...(event ? { title: event } : {}) } : undefined;
        const isOpen = open.has(s.seq);
        const failed = FAILED.has(s.outcome);
        return (
          <li key={s.seq} className={failed ? `${styles.stepItem} ${styles.stepFailed}` : styles.stepItem}>
            <h3 className={styles.stepHeading}>
              <button
                type="button"
                id={stepDomId(s.seq)}
                className={styles.stepToggle}
                aria-expanded={isOpen}
                aria-controls={`${stepDomId(s.seq)}-body`}
                onClick={() => onToggle(s.seq)}
              >
                <span className={styles.stepSeq}>{s.seq}.</span>
                <span className={styles.stepName}>
                  {words ? words.title : (EVENT_WORDS[s.type] ?? s.type)}
                  {s.step ? <code> {s.step}</code> : null}
                </span>
                <span className={failed ? styles.outcomeFailed : styles.outcome}>{s.outcome}</span>
                <span className={styles.stepAt}>{new Date(s.at).toLocaleTimeString()}</span>
              </button>
            </h3>
            <div id={`${stepDomId(s.seq)}-body`} hidden={!isOpen} className={styles.stepBody}>
              <StepDetail
                step={s}
                firstShown={firstShown}
                detail={words?.detail}
                plainAction={spec?.type === "action" && s.why === spec.action.type}
                deliveries={deliveries}
              />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function StepDetail({
  step,
  firstShown,
  detail,
  plainAction,
  deliveries,
}: {
  step: RunStep;
  firstShown: ReadonlyMap<string, number>;
  detail: string | undefined;
  /** An internal action logs only its type as its why: it ran because the path led to it. */
  plainAction: boolean;
  deliveries: readonly RunDelivery[];
}) {
  const effects = step.effects;
  const reason = ownerReason(step.effects);
  const attempts = (step.attempts ?? []).filter((a) => firstShown.get(a.outbox_id) === step.seq);
  const shownEarlier = [...new Set((step.attempts ?? []).map((a) => firstShown.get(a.outbox_id)))].filter(
    (seq): seq is number => seq !== undefined && seq !== step.seq,
  );
  const items = deliveries.filter(
    (d) => (step.attempts ?? []).some((a) => a.outbox_id === d.id) || enqueuedIds(step.effects).includes(d.id),
  );
  return (
    <dl className={styles.facts}>
      {detail ? (
        <>
          <dt>The step</dt>
          <dd>{detail}</dd>
        </>
      ) : null}
      {step.description ? (
        <>
          <dt>Why it exists</dt>
          <dd>{step.description}</dd>
        </>
      ) : null}
      <dt>Input</dt>
      <dd>{step.input}</dd>
      <dt>Outcome</dt>
      <dd>{step.outcome}</dd>
      <dt>Why</dt>
      <dd className={FAILED.has(step.outcome) ? styles.errorText : undefined}>
        {plainAction ? "It is the next step on the run's path; the action was carried out." : step.why}
      </dd>
      {reason ? (
        <>
          <dt>Owner's reason</dt>
          <dd>{reason}</dd>
        </>
      ) : null}
      <dt>Effects</dt>
      <dd>
        {effects.length === 0 ? (
          "None"
        ) : (
          <ul className={styles.plainList}>
            {effects.map((e, i) => (
              // Effects have no id; their order in the log is theirs for good.
              // biome-ignore lint/suspicious/noArrayIndexKey: the stored list never reorders
              <li key={i}>{effectWords(e)}</li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Took</dt>
      <dd>
        {elapsedWords(step.duration_ms)}, at {fullTime(step.at)}
      </dd>
      {(step.attempts ?? []).length > 0 || items.length > 0 ? (
        <>
          <dt>Delivery</dt>
          <dd>
            {items.map((d) => (
              <p key={d.id} className={styles.delivery}>
                {d.kind} {d.connector ? `through ${d.connector}` : ""}: <strong>{d.status}</strong> after {d.attempts}{" "}
                {d.attempts === 1 ? "attempt" : "attempts"}
                {d.last_error ? `; last error: ${d.last_error}` : ""}
                {d.status === "pending" && d.next_attempt_at ? `; next try ${fullTime(d.next_attempt_at)}` : ""}
              </p>
            ))}
            {shownEarlier.length > 0 ? (
              <p className={styles.delivery}>Its attempts are listed under step {shownEarlier.join(", ")}.</p>
            ) : null}
            {attempts.length > 0 ? (
              <ol className={styles.plainList} aria-label="Delivery attempts">
                {attempts.map((a) => (
                  <li key={`${a.outbox_id}-${a.attempt}-${a.at}`}>
                    Attempt {a.attempt} at {fullTime(a.at)}: {attemptWords(a)}
                  </li>
                ))}
              </ol>
            ) : null}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
