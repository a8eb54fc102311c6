/**
 * /ai: the workspace's AI models (issue 24; docs/ai.md) — what each predicts and reads, its honest
 * quality on held-out records (accuracy beside always answering the most common label, precision
 * and recall per label, the confusion matrix), whether it may be turned on and what it still
 * needs, the versions its trainings kept, and a "Try it" form that shows a prediction with its
 * reasons. Training runs in the background: the card shows its phase and progress until it ends
 * (or why it failed). A conversion model (the chance a lead converts, read by scoring models) says
 * which values mean converted and lost and which activities it counts; its figures are over the
 * labels converted and lost, and "Try it" shows the chance to convert. Every role reads and
 * tries; admins make, train and turn models on and off (the API refuses the writes to other roles).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { useId } from "react";
import { ApiError } from "../../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import styles from "./Ai.module.css";
import { type AiModel, type AiTrainingJob, aiModelsQuery, pct, setModelEnabled, training, trainModel, versionsQuery } from "./data";
import { outcomesWords, readsWords, thresholdPct } from "./model-words";
import { NewModelForm } from "./NewModelForm";
import { OverrideRate } from "./OverrideRate";
import { TryIt } from "./TryIt";

export function AiModels() {
  const { session } = useRouteContext({ from: "/app" });
  const admin = session.user.role === "admin";
  const models = useQuery(aiModelsQuery);
  return (
    <div className={styles.page}>
      <PageHeader title="AI models">
        Models learn from your own records — for example, a ticket's category from the words of its subject and description — and say why
        they predict what they do. They run on this server: nothing is sent anywhere. A model is used only once an admin turns it on, and it
        can be turned on only when every label has at least 50 examples. A conversion model learns the chance a record converts from the
        ones already converted or lost — scoring models can give points for it.
      </PageHeader>
      {admin ? null : <p className={styles.muted}>Only admins make and train models; you can read them and try them here.</p>}
      {models.error ? <ErrorMessage error={models.error} what="the AI models" /> : null}
      {models.isPending ? <p aria-live="polite">Loading the AI models…</p> : null}
      {models.data?.length === 0 ? (
        <EmptyState title="No AI models yet">
          A model predicts one field from others: a ticket's category from its subject and description, learned from the tickets that
          already have one. {admin ? "Make one below, then train it." : "An admin of your workspace makes them."}
        </EmptyState>
      ) : null}
      {admin ? <NewModelForm /> : null}
      {models.data?.map((m) => (
        <ModelCard key={m.id} model={m} admin={admin} />
      ))}
    </div>
  );
}

function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    const issues = (error.problem as { errors?: Array<{ path: string; message: string }> } | undefined)?.errors;
    if (issues && issues.length > 0) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

function ModelCard({ model: m, admin }: { model: AiModel; admin: boolean }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: aiModelsQuery.queryKey });
  const train = useMutation({ mutationFn: () => trainModel(m), onSuccess: refresh });
  const toggle = useMutation({ mutationFn: (on: boolean) => setModelEnabled(m, on), onSuccess: refresh });
  const t = m.training;
  const job = m.training_job;
  const busy = training(m) || train.isPending;
  const headingId = useId();
  const conversion = m.kind === "conversion";
  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <h2 id={headingId}>{m.name}</h2>
      {conversion ? (
        <p>
          Predicts <strong>the chance a {m.object} converts</strong>: {outcomesWords(m)}; reads {readsWords(m)}. A chance of{" "}
          {thresholdPct(m.threshold)} or more is predicted to convert. <strong>{m.enabled ? "On" : "Off"}</strong>
          {m.description ? <span className={styles.muted}> — {m.description}</span> : null}
        </p>
      ) : (
        <p>
          Predicts a {m.object}'s <strong>{m.target}</strong> from {readsWords(m)}. Predictions under {thresholdPct(m.threshold)} confidence
          are marked low confidence. <strong>{m.enabled ? "On" : "Off"}</strong>
          {m.description ? <span className={styles.muted}> — {m.description}</span> : null}
        </p>
      )}
      {t === null ? (
        <p className={styles.muted}>
          {conversion
            ? `Not trained yet: training reads the ${m.object}s whose ${m.target} is ${[...m.converted, ...m.lost].join(" or ")} and learns from them; the others are still open.`
            : `Not trained yet: training reads the ${m.object}s that have a ${m.target} and learns from them.`}
        </p>
      ) : (
        <Training model={m} />
      )}
      {job && training(m) ? <TrainingProgress model={m} job={job} /> : null}
      {job?.state === "failed" ? (
        <p role="alert" className={styles.bad}>
          The last training failed: {job.error}
        </p>
      ) : null}
      {admin ? (
        <div className={styles.row}>
          <button type="button" className={ui.button} onClick={() => train.mutate()} disabled={busy}>
            {busy ? "Training…" : t ? "Train again" : "Train"}
          </button>
          {t ? (
            <button type="button" className={ui.button} onClick={() => toggle.mutate(!m.enabled)} disabled={toggle.isPending}>
              {m.enabled ? "Turn off" : "Turn on"}
            </button>
          ) : null}
        </div>
      ) : null}
      {train.error ? (
        <p role="alert" className={styles.bad}>
          Could not train: {problemText(train.error)}
        </p>
      ) : null}
      {toggle.error ? (
        <p role="alert" className={styles.bad}>
          Could not turn it {m.enabled ? "off" : "on"}: {problemText(toggle.error)}
        </p>
      ) : null}
      {t ? <Versions model={m} /> : null}
      {/* Only classify steps write predictions that people can correct; a conversion model is read by scoring models. */}
      {t && !conversion ? <OverrideRate modelId={m.id} modelName={m.name} object={m.object} target={m.target} /> : null}
      {t ? <TryIt model={m} problemText={problemText} /> : null}
    </section>
  );
}

/** Where a running training is, in words and as a bar; read again every half second. */
function TrainingProgress({ model: m, job }: { model: AiModel; job: AiTrainingJob }) {
  const label = `Training ${m.name}`;
  return (
    <div className={styles.progress} role="status" aria-live="polite">
      <progress value={job.progress} max={1} aria-label={label} />
      <span>
        Training: {job.state === "queued" ? "waiting for another training to finish" : job.phase} — {Math.round(job.progress * 100)} %
      </span>
    </div>
  );
}

/** Each training that succeeded, newest first: when, what it learned from, how well. The first row is what predictions use. */
function Versions({ model: m }: { model: AiModel }) {
  const versions = useQuery(versionsQuery(m));
  const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" }) : "—");
  return (
    <details>
      <summary>Versions{versions.data ? ` (${versions.data.length})` : ""}: each training kept, the newest in use</summary>
      {versions.error ? <ErrorMessage error={versions.error} what="the versions" /> : null}
      {versions.data ? (
        <table className={ui.table} aria-label={`${m.name}: versions`}>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Trained</th>
              <th scope="col">Learned from</th>
              <th scope="col" className={styles.numeric}>
                Accuracy
              </th>
              <th scope="col" className={styles.numeric}>
                Baseline
              </th>
              <th scope="col">Ready</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.map((v, i) => (
              <tr key={v.version}>
                <th scope="row">
                  v{v.version}
                  {i === 0 ? " (in use)" : ""}
                </th>
                <td>{new Date(v.trained_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}</td>
                <td>
                  {v.data.records.toLocaleString("en")} {m.object}s created {day(v.data.first_created_at)} – {day(v.data.last_created_at)}
                </td>
                <td className={styles.numeric}>{pct(v.quality.accuracy)}</td>
                <td className={styles.numeric}>{pct(v.quality.baseline)}</td>
                <td>{v.ready ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </details>
  );
}

function Training({ model: m }: { model: AiModel }) {
  const t = m.training as NonNullable<AiModel["training"]>;
  const q = t.quality;
  const margin = q.accuracy - q.baseline;
  const conversion = m.kind === "conversion";
  // A classifier is good 20 points over the commonest label; a conversion model's commoner outcome
  // is often right 70–90 % of the time, leaving less to gain: good when it avoids a third of the
  // mistakes always answering that would make.
  const avoided = q.baseline < 1 ? margin / (1 - q.baseline) : 0;
  const good = conversion ? avoided >= 1 / 3 : margin >= 0.2;
  // What each row of the figures is: a value of the field, or (conversion) converted / lost.
  const labelHeading = conversion ? "Outcome" : m.target;
  return (
    <>
      <div className={styles.figures}>
        <p className={styles.figure}>
          Accuracy on held-out {m.object}s <strong>{pct(q.accuracy)}</strong>
        </p>
        <p className={styles.figure}>
          Always answering “{q.baselineLabel}” <strong>{pct(q.baseline)}</strong>
        </p>
        <p className={styles.figure}>
          Held out <strong>{t.held_out.toLocaleString("en")}</strong>
          <span className={styles.muted}>of {t.records.toLocaleString("en")} labelled</span>
        </p>
      </div>
      <p className={good ? styles.good : styles.bad}>
        {margin > 0
          ? `${(margin * 100).toFixed(1)} points better than always answering the most common label${
              conversion ? ` (it avoids ${Math.round(avoided * 100)} % of that answer's mistakes)` : ""
            }.`
          : "No better than always answering the most common label: it has not learned anything useful yet."}{" "}
        Trained {new Date(t.trained_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}.
      </p>
      <p className={t.ready ? styles.good : styles.bad}>
        {t.ready
          ? conversion
            ? "Ready: it has enough converted and lost examples, so it can be turned on."
            : "Ready: every label has at least 50 examples, so it can be turned on."
          : `Not ready to turn on: ${
              t.shortfalls.length > 0
                ? t.shortfalls.map((s) => `“${s.label}” needs ${s.more} more`).join(", ")
                : "it needs two labels at least"
            }.`}
      </p>
      <table className={ui.table} aria-label={`${m.name}: quality per label`}>
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            <th scope="col" className={styles.numeric}>
              Precision
            </th>
            <th scope="col" className={styles.numeric}>
              Recall
            </th>
            <th scope="col" className={styles.numeric}>
              Held out
            </th>
            <th scope="col" className={styles.numeric}>
              Labelled
            </th>
          </tr>
        </thead>
        <tbody>
          {q.classes.map((c) => (
            <tr key={c.label}>
              <th scope="row">{c.label}</th>
              <td className={styles.numeric}>{pct(c.precision)}</td>
              <td className={styles.numeric}>{pct(c.recall)}</td>
              <td className={styles.numeric}>{c.support}</td>
              <td className={styles.numeric}>{t.label_counts[c.label] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.muted}>
        Precision: of the {m.object}s it labels so, the share that are. Recall: of the {m.object}s that are, the share it finds.
      </p>
      <details>
        <summary>Confusion matrix: what it said for each actual {conversion ? "outcome" : m.target}</summary>
        <table className={`${ui.table} ${styles.confusion}`} aria-label={`${m.name}: confusion matrix`}>
          <thead>
            <tr>
              <th scope="col">Actual ↓ / predicted →</th>
              {q.confusion.labels.map((l) => (
                <th scope="col" key={l} className={styles.numeric}>
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {q.confusion.labels.map((l, i) => (
              <tr key={l}>
                <th scope="row">{l}</th>
                {(q.confusion.counts[i] ?? []).map((n, j) => (
                  <td key={q.confusion.labels[j]} className={`${styles.numeric} ${i === j ? styles.hit : ""}`}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
