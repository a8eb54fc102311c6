/**
 * "Try it" under a trained model on the AI models page: ask what the model says (POST
 * …/{model}/predict, which writes nothing). A classifier is asked about text typed into its text
 * fields and answers a value with its confidence; a conversion model is asked about a saved record
 * (found by name: its activities are counted) or one described here by the fields it reads and how
 * many activities of each type it counts, and answers the chance it converts. Both say why, in words.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ui } from "../../components/ui";
import { FieldInput } from "../../records/FieldInput";
import { fromInput } from "../../records/formValues";
import { type FieldInfo, objectsQuery } from "../../records/model";
import { ReferencePicker } from "../../records/ReferencePicker";
import styles from "./Ai.module.css";
import { type AiModel, type AiPrediction, chanceToConvert, pct, predict, predictRecord } from "./data";
import { thresholdPct } from "./model-words";

export function TryIt({ model: m, problemText }: { model: AiModel; problemText: (e: unknown) => string }) {
  const objects = useQuery(objectsQuery);
  const object = objects.data?.find((o) => o.name === m.object);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [recordId, setRecordId] = useState("");
  // How many activities of each type the model counts a described record has, as typed.
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [result, setResult] = useState<AiPrediction | null>(null);
  const conversion = m.kind === "conversion";
  const fieldOf = (name: string): FieldInfo | undefined => object?.fields.find((f) => f.name === name);
  const described = () => {
    const record: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(texts)) {
      const f = fieldOf(name);
      if (text.trim() !== "") record[name] = f ? fromInput(f, text) : text;
    }
    return record;
  };
  // Counts left empty are none; anything else goes as typed, so that the API names a bad one.
  const activities = () =>
    Object.fromEntries(
      Object.entries(counts)
        .filter(([, text]) => text.trim() !== "")
        .map(([type, text]) => [type, Number(text)]),
    );
  const ask = useMutation({
    mutationFn: () =>
      conversion && recordId.trim() !== ""
        ? predictRecord(m, recordId.trim())
        : predict(m, described(), conversion ? activities() : undefined),
    // A new question hides the last answer: an answer beside a refusal would read as the refusal's.
    onMutate: () => setResult(null),
    onSuccess: setResult,
  });
  const id = useId();
  const one = object?.label.toLowerCase() ?? m.object;
  // What the model reads, to describe a record by: its text fields (and, for a conversion model, its value fields).
  const fieldsOfModel = (
    <>
      {m.text_fields.map((f) => (
        <label key={f} className={styles.label} htmlFor={`${id}-${f}`}>
          {f}
          <textarea
            id={`${id}-${f}`}
            rows={f === "subject" ? 1 : 3}
            value={texts[f] ?? ""}
            onChange={(e) => setTexts({ ...texts, [f]: e.target.value })}
          />
        </label>
      ))}
      {conversion
        ? m.value_fields.map((name) => {
            const f = fieldOf(name);
            return f ? (
              <FieldInput
                key={name}
                id={`${id}-${name}`}
                field={{ ...f, required: false }}
                value={texts[name] ?? ""}
                onChange={(v) => setTexts({ ...texts, [name]: v })}
              />
            ) : null;
          })
        : null}
      {conversion
        ? m.activity_types.map((type) => (
            <label key={type} className={styles.label} htmlFor={`${id}-count-${type}`}>
              {activityCountLabel(type)}
              <input
                id={`${id}-count-${type}`}
                type="number"
                min={0}
                max={10000}
                step={1}
                inputMode="numeric"
                value={counts[type] ?? ""}
                placeholder="0"
                onChange={(e) => setCounts({ ...counts, [type]: e.target.value })}
              />
            </label>
          ))
        : null}
    </>
  );
  return (
    <form
      className={styles.card}
      aria-label={`Try ${m.name}`}
      // The server checks what is typed and names the box (a count of 1.5 is refused by it, not hidden by the browser).
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <h3>Try it</h3>
      {conversion ? (
        <div className={styles.label}>
          <label htmlFor={`${id}-record`}>A {one} of yours (its id)</label>
          <input
            id={`${id}-record`}
            value={recordId}
            onChange={(e) => setRecordId(e.target.value)}
            aria-describedby={`${id}-record-hint`}
          />
          <span id={`${id}-record-hint`} className={styles.hint}>
            Its fields and the activities logged on it are read. Leave it empty to describe a {one} below instead.
          </span>
          {object ? <ReferencePicker field={pickerField(object.name, object.label)} onPick={setRecordId} /> : null}
        </div>
      ) : null}
      {conversion ? (
        <fieldset className={styles.describe}>
          <legend>Or describe a {one} (with the id empty)</legend>
          {fieldsOfModel}
        </fieldset>
      ) : (
        fieldsOfModel
      )}
      <div>
        <button type="submit" className={ui.button} disabled={ask.isPending}>
          {ask.isPending ? "Asking…" : "Predict"}
        </button>
      </div>
      {ask.error ? (
        <p role="alert" className={styles.bad}>
          Could not predict: {problemText(ask.error)}
        </p>
      ) : null}
      {result ? <Answer model={m} result={result} /> : null}
    </form>
  );
}

function Answer({ model: m, result }: { model: AiModel; result: AiPrediction }) {
  const chance = chanceToConvert(result);
  return (
    <div aria-live="polite">
      {m.kind === "conversion" ? (
        <p>
          <strong>Chance to convert: {pct(chance)}</strong> —{" "}
          {chance >= m.threshold
            ? `predicted to convert (${thresholdPct(m.threshold)} or more)`
            : `not predicted to convert (under ${thresholdPct(m.threshold)})`}
        </p>
      ) : (
        <p>
          <strong>
            {result.field} = {result.value}
          </strong>{" "}
          ({pct(result.confidence)} confident){result.low_confidence ? " — low confidence: a workflow would send it to a person" : ""}
        </p>
      )}
      {result.reasons.length > 0 ? (
        <ul aria-label="Why">
          {result.reasons.map((r) => (
            <li key={r.feature}>because of {r.text}</li>
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>Nothing in it was seen in training: the prediction is only how common each label is.</p>
      )}
    </div>
  );
}

/** The picker's pretend reference field: it finds records of the model's object by name. */
function pickerField(object: string, label: string): FieldInfo {
  return {
    name: "record",
    label: `${label} to try`,
    type: "reference",
    required: false,
    managed: false,
    custom: false,
    references: [object],
    operators: [],
  };
}

/** "Meetings logged", "Emails opened": the label of an activity type's count. */
function activityCountLabel(type: string): string {
  const opened: Record<string, string> = { email_opened: "Emails opened", email_clicked: "Emails clicked" };
  const w = opened[type] ?? `${type.replaceAll("_", " ")}s logged`;
  return w.charAt(0).toUpperCase() + w.slice(1);
}
