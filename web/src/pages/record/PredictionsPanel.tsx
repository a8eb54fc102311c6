/**
 * The record's "AI predictions" panel (issue 24; docs/web.md "Predictions on the record page"):
 * each prediction a workflow's classify step made for this record (GET
 * /api/v1/{objects}/{id}/predictions, newest first) — the model, the field, the value written or
 * why it was not (unsure: below the model's threshold), how sure the model was, the words that
 * decided it, when and by which run, and a person's correction ("corrected by NAME to VALUE on
 * DATE"). Shown only when the record has predictions: a record no model ever read gets no panel.
 * Written for an admin who has never seen Handoff: every figure says what it means in words.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorMessage } from "../../components/ui";
import { fetchUsers, LIVE, type ObjectInfo } from "./data";
import styles from "./PredictionsPanel.module.css";
import { dateTime, percent } from "./prediction-words";
import card from "./RecordPage.module.css";
import { clock, recordTitle } from "./words";

export type Prediction = Schemas["AiPredictionItem"];

/** Under the page's live prefix: a change to the record (a correction) refreshes it with the rest. */
export const predictionsQuery = (plural: string, id: string) =>
  queryOptions({
    queryKey: [...LIVE, plural, id, "predictions"],
    queryFn: async () => unwrap(await api.GET("/api/v1/{objects}/{id}/predictions", { params: { path: { objects: plural, id } } })).data,
  });

export function PredictionsPanel({
  plural,
  id,
  def,
  record,
  refetchInterval,
}: {
  plural: string;
  id: string;
  def: ObjectInfo;
  /** The record's values now: an unsure prediction says what a person has set since. */
  record: Record<string, unknown>;
  refetchInterval: number;
}) {
  const predictions = useQuery({ ...predictionsQuery(plural, id), refetchInterval });
  const correctors = [...new Set((predictions.data ?? []).flatMap((p) => (p.overridden?.by ? [p.overridden.by] : [])))].sort();
  const users = useQuery({
    queryKey: ["record", "users", correctors.join(",")],
    queryFn: () => fetchUsers(correctors),
    enabled: correctors.length > 0,
  });
  if (predictions.error) return <ErrorMessage error={predictions.error} what="the AI predictions" />;
  if (!predictions.data || predictions.data.length === 0) return null;
  const what = def.label.toLowerCase();
  const label = (field: string) => def.fields.find((f) => f.name === field)?.label ?? field;
  const nameOf = (userId: string | null) => {
    if (!userId) return "someone";
    const u = users.data?.get(userId);
    if (u) return recordTitle(u);
    return users.isPending ? "…" : "a user no longer in this workspace";
  };
  return (
    <section className={card.card} aria-labelledby="predictions-heading" data-testid="predictions">
      <h2 id="predictions-heading">AI predictions</h2>
      <p className={card.muted}>
        An AI model read this {what} and predicted {predictions.data.length === 1 ? "a field" : "fields"}. It fills a field in only when it
        is at least as sure as its threshold; otherwise it leaves the field empty for a person.
      </p>
      <ul className={styles.list} aria-label="AI predictions, newest first">
        {predictions.data.map((p) => (
          <PredictionItem
            key={p.id}
            p={p}
            fieldLabel={label(p.field)}
            now={record[p.field]}
            correctedBy={nameOf(p.overridden?.by ?? null)}
          />
        ))}
      </ul>
    </section>
  );
}

function PredictionItem({ p, fieldLabel, now, correctedBy }: { p: Prediction; fieldLabel: string; now: unknown; correctedBy: string }) {
  const headingId = `prediction-${p.id}`;
  const status = p.overridden ? "Corrected" : p.applied ? "Written" : "Not written";
  const setSince = !p.applied && typeof now === "string" && now !== "" ? now : null;
  return (
    <li className={styles.item} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.head}>
        <span>
          {fieldLabel}: “{p.value}”
        </span>
        <span className={`${styles.status} ${p.overridden ? styles.corrected : p.applied ? styles.written : styles.unsure}`}>{status}</span>
      </h3>
      <dl className={styles.facts}>
        <div>
          <dt>Model</dt>
          <dd>
            <Link to="/ai">{p.model}</Link> <span className={card.muted}>(version {p.model_version})</span>
          </dd>
        </div>
        <div>
          <dt>Field</dt>
          <dd>{fieldLabel}</dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd data-testid="prediction-value">
            {p.applied ? (
              <>
                “{p.value}”, written into {fieldLabel}
              </>
            ) : (
              <>
                not written — unsure, below the threshold {percent(p.threshold)} (it looked most like “{p.value}”)
                {setSince !== null ? `; a person has since set ${fieldLabel} to “${setSince}”` : ""}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd data-testid="prediction-confidence">
            {percent(p.confidence, p.threshold)} sure <span className={card.muted}>(writes from {percent(p.threshold)})</span>
          </dd>
        </div>
        <div className={styles.wide}>
          <dt>Why</dt>
          <dd>
            {p.reasons.length > 0 ? (
              <ul className={styles.reasons} aria-label={`Why “${p.value}”`}>
                {p.reasons.map((r) => (
                  <li key={r.feature}>{r.text}</li>
                ))}
              </ul>
            ) : (
              "No single word stood out: the prediction rests on how common each value is."
            )}
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={p.created_at} title={dateTime(p.created_at)}>
              {clock(p.created_at)}
            </time>
            {p.run_id ? (
              <>
                {" "}
                · <Link to="/runs/$id" params={{ id: p.run_id }}>{`the workflow run${p.step ? `, step ${p.step}` : ""}`}</Link>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      {p.overridden ? (
        <p className={styles.correction} data-testid="prediction-correction">
          {p.overridden.value === null ? (
            <>Cleared by {correctedBy} </>
          ) : (
            <>
              Corrected by {correctedBy} to “{p.overridden.value}”{" "}
            </>
          )}
          on <time dateTime={p.overridden.at}>{dateTime(p.overridden.at)}</time>. The model learns from the corrected value when it is
          trained again.
        </p>
      ) : null}
    </li>
  );
}
