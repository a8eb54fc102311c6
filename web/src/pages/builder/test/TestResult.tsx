/**
 * What a test run did, in the order an admin asks: did it finish and why it stopped (with the
 * buttons that answer a wait when it stopped at one), the path, the owner and why, the fields
 * written (field: from → to), every message that would have been sent — each marked "Not sent —
 * test run" —, tasks and notifications, and the run log shaped like a real run's (RunSteps).
 */
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import type { WorkflowDefinition } from "../../../components/graph/definition";
import { stepWords } from "../../../components/graph/describe";
import { ui } from "../../../components/ui";
import { type ObjectInfo, objectsQuery, recordTitle } from "../../../records/model";
import { listRecords } from "../../../records/recordsApi";
import { RunSteps } from "../../run/RunSteps";
import styles from "./test.module.css";
import { type OneAnswer, statusWords, type TestRunResult, waitingAt } from "./test-model";

type Message = Record<string, unknown> & { kind: string };

const SOURCE_WORDS: Record<TestRunResult["workflow"]["source"], string> = {
  draft: "Tested the draft, version",
  version: "Tested the live version",
  file: "Tested the file's definition, as version",
};

export function TestResult({
  result,
  definition,
  stepByStep,
  busy,
  onAnswer,
}: {
  result: TestRunResult;
  definition: WorkflowDefinition;
  stepByStep: boolean;
  busy: boolean;
  onAnswer: (step: string, answer: OneAnswer) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const minutesId = useId();
  // "It happens after N minutes": the simulated minutes after the wait began, for an event or an SLA met.
  const [minutes, setMinutes] = useState("5");
  const after = Math.max(0, Number(minutes) || 0);
  const waiting = waitingAt(result);
  const people = usePeople(result);
  /** A written value: a person's id as their name (owner_id: Priya Larsen), anything else as it is. */
  const value = (v: unknown) => (typeof v === "string" && people.has(v) ? (people.get(v) as string) : show(v));
  const title = (step: string) => {
    const spec = definition.steps[step];
    return spec ? stepWords(spec).title : step;
  };
  const failed = result.status === "failed";
  return (
    <section className={styles.result} aria-label="Test result">
      <h3>Result</h3>
      <p className={failed ? styles.statusFailed : styles.status}>
        <strong>{statusWords(result)}</strong>
        {result.reason ? ` — ${result.reason}` : ""}
      </p>
      <p className={styles.note}>
        {SOURCE_WORDS[result.workflow.source]} {result.workflow.version}, simulated from{" "}
        {new Date(result.simulated.started_at).toLocaleString()} to {new Date(result.simulated.ended_at).toLocaleString()}.
      </p>

      {result.answered.length > 0 ? (
        <>
          <h4>Your answers, as they happened</h4>
          <ul aria-label="Answers carried out">
            {result.answered.map((a) => (
              <li key={`${a.step}-${a.at}-${a.what}`}>
                <code>{a.step}</code>: {a.what}, at {new Date(a.at).toLocaleTimeString()}
                {a.applied ? "" : " — not needed: the wait had ended before"}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {waiting ? (
        <section className={styles.waiting} aria-label={`Answer step ${waiting.step}`}>
          <p>
            {waiting.kind === "approval" ? (
              <>
                Waiting for a decision at <strong>{title(waiting.step)}</strong> <code>{waiting.step}</code>
                {result.approvals_waiting[0]?.waiting_on.length
                  ? ` (asked: ${result.approvals_waiting[0].waiting_on.map((p) => p.name ?? p.user_id).join(", ")})`
                  : ""}
                . Decide as the approver:
              </>
            ) : waiting.kind === "event" ? (
              <>
                Waiting at <strong>{title(waiting.step)}</strong> <code>{waiting.step}</code> for what it awaits. Say when it happens, or
                let the wait time out:
              </>
            ) : (
              <>
                Waiting at <strong>{title(waiting.step)}</strong> <code>{waiting.step}</code>.
              </>
            )}
          </p>
          {!stepByStep && waiting.kind !== "approval" ? null : (
            <div className={styles.buttons}>
              {waiting.kind === "approval" ? (
                <>
                  <button
                    type="button"
                    className={ui.button}
                    disabled={busy}
                    onClick={() => onAnswer(waiting.step, { decision: "approve" })}
                  >
                    Approve
                  </button>
                  <button
                    type="button"
                    className={ui.secondary}
                    disabled={busy}
                    onClick={() => onAnswer(waiting.step, { decision: "reject" })}
                  >
                    Reject
                  </button>
                  <button
                    type="button"
                    className={ui.secondary}
                    disabled={busy}
                    onClick={() => onAnswer(waiting.step, { decision: "send_back" })}
                  >
                    Send back
                  </button>
                </>
              ) : waiting.kind === "time" ? (
                <button type="button" className={ui.button} disabled={busy} onClick={() => onAnswer(waiting.step, { pass: true })}>
                  Let time pass
                </button>
              ) : null}
            </div>
          )}
          {stepByStep && (waiting.kind === "event" || waiting.sla.length > 0) ? (
            <div className={styles.answerWait}>
              <div className={ui.field}>
                <label className={ui.label} htmlFor={minutesId}>
                  After how many minutes (simulated)
                </label>
                <span id={`${minutesId}-hint`} className={ui.hint}>
                  {waiting.kind === "event"
                    ? "When the awaited event happens; past the wait's timeout, the wait times out first."
                    : "When the SLA is met."}
                </span>
                <input
                  id={minutesId}
                  className={ui.input}
                  type="number"
                  min={0}
                  inputMode="numeric"
                  aria-describedby={`${minutesId}-hint`}
                  value={minutes}
                  onChange={(e) => setMinutes(e.target.value)}
                />
              </div>
              <div className={styles.buttons}>
                {waiting.kind === "event" ? (
                  <>
                    <button
                      type="button"
                      className={ui.button}
                      disabled={busy}
                      onClick={() => onAnswer(waiting.step, { event_after_minutes: after })}
                    >
                      It happens after {after} min
                    </button>
                    <button
                      type="button"
                      className={ui.secondary}
                      disabled={busy}
                      onClick={() => onAnswer(waiting.step, { timeout: true })}
                    >
                      Nothing arrives: time out
                    </button>
                  </>
                ) : null}
                {waiting.sla.length > 0 ? (
                  <>
                    <button
                      type="button"
                      className={ui.secondary}
                      disabled={busy}
                      onClick={() => onAnswer(waiting.step, { sla: "met", after_minutes: after })}
                    >
                      SLA met after {after} min
                    </button>
                    <button
                      type="button"
                      className={ui.secondary}
                      disabled={busy}
                      onClick={() => onAnswer(waiting.step, { sla: "breach" })}
                    >
                      SLA breached
                    </button>
                  </>
                ) : null}
              </div>
              {waiting.sla.length > 0 ? <p className={styles.note}>SLA running on the record: {waiting.sla.join(", ")}.</p> : null}
            </div>
          ) : null}
        </section>
      ) : null}

      <h4>Path</h4>
      {result.path.length === 0 ? (
        <p>No step was taken.</p>
      ) : (
        <ol className={styles.path} aria-label="Path taken">
          {result.path.map((step, i) => (
            // A step may be taken twice (a request sent back): its place keeps the key unique.
            // biome-ignore lint/suspicious/noArrayIndexKey: the path is a fixed list in order
            <li key={`${i}-${step}`}>
              {title(step)} <code>{step}</code>
            </li>
          ))}
        </ol>
      )}

      <h4>Owner</h4>
      {result.owner ? (
        <p>
          <strong>{result.owner.name ?? result.owner.email ?? result.owner.user_id ?? "Nobody"}</strong>
          {result.owner.team ? ` (${result.owner.team})` : ""} — {result.owner.why}
        </p>
      ) : (
        <p>No owner was chosen.</p>
      )}

      <h4>Fields written</h4>
      {result.fields_written.length === 0 ? (
        <p>No field was written.</p>
      ) : (
        <ul className={styles.plainList} aria-label="Fields written">
          {result.fields_written.map((f) => (
            <li key={`${f.record_id}-${f.field}-${f.at}`}>
              <code>{f.field}</code>
              {f.record_id !== result.record_id ? ` (${f.object} ${f.record_id})` : ""}: {value(f.from)} → {value(f.to)}
            </li>
          ))}
        </ul>
      )}

      <h4>Messages</h4>
      {result.messages.length === 0 ? (
        <p>No message would be sent.</p>
      ) : (
        <ul className={styles.messages} aria-label="Messages that would have been sent">
          {(result.messages as Message[]).map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages have no id; their order is fixed
            <li key={i} className={styles.message}>
              <MessageView m={m} />
            </li>
          ))}
        </ul>
      )}

      {result.tasks.length > 0 ? (
        <>
          <h4>Tasks created</h4>
          <ul className={styles.plainList}>
            {result.tasks.map((t) => (
              <li key={t.id}>{show(t.fields.subject ?? t.id)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.notifications.length > 0 ? (
        <>
          <h4>Notifications</h4>
          <ul className={styles.plainList}>
            {result.notifications.map((n) => (
              <li key={`${n.user_id}-${n.at}-${n.message}`}>
                To {n.user ?? n.user_id}: {n.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h4>Run log</h4>
      <RunSteps
        steps={result.steps.map((s) => ({ ...s, description: null }))}
        definition={definition}
        deliveries={[]}
        open={open}
        onToggle={(seq) =>
          setOpen((o) => {
            const next = new Set(o);
            if (next.has(seq)) next.delete(seq);
            else next.add(seq);
            return next;
          })
        }
      />
    </section>
  );
}

/** One message as it would have gone out, labelled as not sent. */
function MessageView({ m }: { m: Message }) {
  const tag = <span className={styles.notSent}>Not sent — test run</span>;
  if (m.kind === "email")
    return (
      <>
        <p className={styles.messageHead}>Email {tag}</p>
        <dl className={styles.messageFacts}>
          <dt>To</dt>
          <dd>{show(m.to)}</dd>
          <dt>Subject</dt>
          <dd>{show(m.subject)}</dd>
          {m.reply_to ? (
            <>
              <dt>Reply to</dt>
              <dd>{show(m.reply_to)}</dd>
            </>
          ) : null}
        </dl>
        <Body>{typeof m.text === "string" ? m.text : "(no text part; the HTML part is rendered)"}</Body>
      </>
    );
  if (m.kind === "http")
    return (
      <>
        <p className={styles.messageHead}>HTTP request {tag}</p>
        <p>
          <code>
            {show(m.method)} {show(m.url)}
          </code>
        </p>
        <Body>
          {Object.entries((m.headers ?? {}) as Record<string, string>)
            .map(([k, v]) => `${k}: ${v}`)
            .join("\n")}
        </Body>
        {m.body ? <Body>{show(m.body)}</Body> : null}
      </>
    );
  if (m.kind === "chat")
    return (
      <>
        <p className={styles.messageHead}>Chat message {tag}</p>
        <Body>{show(m.text)}</Body>
      </>
    );
  if (m.kind === "webhook")
    return (
      <>
        <p className={styles.messageHead}>
          Webhook <code>{show(m.type)}</code> {tag}
        </p>
        <Body>{JSON.stringify(m.data, null, 2)}</Body>
      </>
    );
  return (
    <>
      <p className={styles.messageHead}>
        {m.kind} {tag}
      </p>
      <Body>{JSON.stringify(m.payload, null, 2)}</Body>
    </>
  );
}

/** The names of the people whose ids the run wrote (owners, assignees): read once per result. */
function usePeople(result: TestRunResult): ReadonlyMap<string, string> {
  const objects = useQuery(objectsQuery);
  const users = objects.data?.find((o) => o.name === "user");
  const ids = [...new Set(result.fields_written.flatMap((f) => [f.from, f.to]).filter((v): v is string => typeof v === "string"))];
  const names = useQuery({
    queryKey: ["test-run-people", ids],
    enabled: users !== undefined && ids.length > 0,
    queryFn: async () => {
      const o = users as ObjectInfo;
      const page = await listRecords(o.plural, { filter: { field: "id", op: "in", value: ids.slice(0, 500) }, limit: 500 });
      return new Map(page.data.map((r) => [r.id, recordTitle(o, r)]));
    },
  });
  return names.data ?? new Map();
}

/** A message's text, headers or body: it scrolls when long, so it takes focus to be scrolled by keyboard. */
function Body({ children }: { children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it (WCAG 2.1.1)
    <pre className={styles.body} tabIndex={0}>
      {children}
    </pre>
  );
}

/** A value as text: strings as they are, nothing as "(empty)", the rest as JSON. */
function show(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(empty)";
  return typeof v === "string" ? v : JSON.stringify(v);
}
