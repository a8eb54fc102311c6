/**
 * The builder's Test panel (issue 19, item 6; docs/testing-workflows.md "Test runs"): the admin
 * describes a record (a small form of the fields the workflow reads, plus JSON for the rest) or
 * picks a live one, chooses "Run to the end" or "Step by step", and runs the draft in a sandbox.
 * Step by step stops at each wait: an approval is answered (Approve / Reject / Send back), a delay
 * lets time pass, and the same request runs again with every answer so far — test runs keep
 * nothing between them. The result (TestResult.tsx) reports back its path, which the page draws
 * on the canvas, and can be saved as a test case (SaveTestCase.tsx).
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { api, unwrap } from "../../../api/client";
import type { WorkflowDefinition } from "../../../components/graph/definition";
import { Segmented } from "../../../components/Segmented";
import { ui } from "../../../components/ui";
import { type FieldInfo, objectsQuery } from "../../../records/model";
import { ReferencePicker } from "../../../records/ReferencePicker";
import { ProblemText } from "./ProblemText";
import { SaveTestCase } from "./SaveTestCase";
import { TestResult } from "./TestResult";
import styles from "./test.module.css";
import {
  type Answers,
  addAnswer,
  answerWords,
  fieldValue,
  formFields,
  type OneAnswer,
  type SlaOutcome,
  type TestRunResult,
  TRIGGER_ANSWER,
  triggerChange,
} from "./test-model";

type Source = "inline" | "live";
type Mode = "to_end" | "to_next_wait";

/** What a test run was asked: kept with its result, so that "Save as test case" saves the same setup. */
export interface TestSetup {
  record?: Record<string, unknown>;
  record_id?: string;
  changes?: Record<string, unknown>;
  answers: Answers;
  mode: Mode;
}

export function TestPanel({
  workflowId,
  definition,
  saveNow,
  onPath,
}: {
  workflowId: string;
  definition: WorkflowDefinition;
  /** Saves the draft being edited, so that the test runs what the canvas shows. */
  saveNow: () => Promise<unknown>;
  /** The path of the result shown (undefined when none), for the canvas. */
  onPath: (path: string[] | undefined) => void;
}) {
  const id = useId();
  const objects = useQuery(objectsQuery);
  const object = objects.data?.find((o) => o.name === definition.object);
  const fields = useMemo(() => (object ? formFields(definition, object) : []), [definition, object]);
  const change = triggerChange(definition);
  const [source, setSource] = useState<Source>("inline");
  const [mode, setMode] = useState<Mode>("to_end");
  const [values, setValues] = useState<Record<string, string>>({});
  const [json, setJson] = useState("");
  const [changeTo, setChangeTo] = useState(change?.to ?? "");
  const [recordId, setRecordId] = useState("");
  // An `sla` trigger: which milestone the SLA reaches (or met: none); empty enrols the record directly.
  const [slaOutcome, setSlaOutcome] = useState<SlaOutcome | "">("");
  const [formError, setFormError] = useState<string>();
  const [shown, setShown] = useState<{ setup: TestSetup; result: TestRunResult }>();
  // A new result is below the form: brought into view, so that the admin sees it came.
  const resultBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (shown) resultBox.current?.scrollIntoView({ block: "start" });
  }, [shown]);

  const run = useMutation({
    mutationFn: async (setup: TestSetup) => {
      await saveNow();
      const body = {
        ...(setup.record ? { record: setup.record } : {}),
        ...(setup.record_id ? { record_id: setup.record_id } : {}),
        ...(setup.changes ? { changes: setup.changes } : {}),
        ...(Object.keys(setup.answers).length > 0 ? { answers: setup.answers } : {}),
        mode: setup.mode,
      };
      // The generated type of `run` (a Run, or null) does not survive openapi-fetch's mapping: named once here.
      const result = unwrap(
        await api.POST("/api/v1/workflows/{id}/test-runs", { params: { path: { id: workflowId } }, body }),
      ) as TestRunResult;
      return { setup, result };
    },
    onSuccess: (r) => {
      setShown(r);
      onPath(r.result.path);
    },
  });

  const triggerAnswers = (): Answers =>
    definition.trigger.type === "sla" && slaOutcome !== "" ? { [TRIGGER_ANSWER]: { sla: slaOutcome } } : {};

  /** The setup the form describes, or why it cannot be run yet. */
  const setupFromForm = (): TestSetup | string => {
    const changes =
      change && changeTo.trim() !== "" ? { [change.field]: fieldValue(fieldOf(object?.fields, change.field), changeTo) } : undefined;
    if (source === "live") {
      if (recordId.trim() === "") return "Give the id of a live record, or find one by name.";
      return { record_id: recordId.trim(), ...(changes ? { changes } : {}), answers: triggerAnswers(), mode };
    }
    let extra: Record<string, unknown> = {};
    if (json.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          return 'More fields (JSON) must be an object, like {"city": "Lisbon"}.';
        extra = parsed as Record<string, unknown>;
      } catch (e) {
        return `More fields (JSON) is not valid JSON: ${(e as Error).message}`;
      }
    }
    const record: Record<string, unknown> = {};
    for (const f of fields) {
      const v = fieldValue(f, values[f.name] ?? "");
      if (v !== undefined) record[f.name] = v;
    }
    return { record: { ...record, ...extra }, ...(changes ? { changes } : {}), answers: triggerAnswers(), mode };
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const setup = setupFromForm();
    if (typeof setup === "string") {
      setFormError(setup);
      return;
    }
    setFormError(undefined);
    run.mutate(setup);
  };

  /** Step by step: the same setup again, with one more answer. */
  const answer = (step: string, a: OneAnswer) => {
    if (!shown) return;
    run.mutate({ ...shown.setup, answers: addAnswer(shown.setup.answers, step, a) });
  };

  const clear = () => {
    setShown(undefined);
    onPath(undefined);
    run.reset();
  };

  return (
    <section className={styles.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Test run</h2>
      <p className={styles.note}>
        Runs the draft on one record in a sandbox: no live record is changed and nothing is sent. Waits pass on a simulated clock.
      </p>
      <form onSubmit={submit} className={styles.form} noValidate>
        <Segmented
          label="The record to test with"
          options={[
            { value: "inline", label: "Describe a record" },
            { value: "live", label: "Use a live record" },
          ]}
          value={source}
          onChange={setSource}
        />
        {source === "inline" ? (
          <fieldset className={styles.fields}>
            <legend>
              A {object?.label.toLowerCase() ?? definition.object} described here
              {definition.trigger.type === "record_created" ? " (creating it is the trigger)" : ""}
            </legend>
            {objects.isPending ? <p aria-live="polite">Loading the fields…</p> : null}
            {fields.map((f) => (
              <div key={f.name} className={ui.field}>
                {/* The field's name beside its label, for those who know it from JSON; not part of the label. */}
                <span>
                  <label className={ui.label} htmlFor={`${id}-f-${f.name}`}>
                    {f.label}
                  </label>{" "}
                  <code className={styles.code} aria-hidden="true">
                    {f.name}
                  </code>
                </span>
                <FieldInput
                  id={`${id}-f-${f.name}`}
                  field={f}
                  value={values[f.name] ?? ""}
                  onChange={(v) => setValues((o) => ({ ...o, [f.name]: v }))}
                />
              </div>
            ))}
            <div className={ui.field}>
              <label className={ui.label} htmlFor={`${id}-json`}>
                More fields (JSON)
              </label>
              <span id={`${id}-json-hint`} className={ui.hint}>
                Optional: any other field, e.g. {"{"}"city": "Lisbon"{"}"}.
              </span>
              <textarea
                id={`${id}-json`}
                className={styles.textarea}
                aria-describedby={`${id}-json-hint`}
                value={json}
                onChange={(e) => setJson(e.target.value)}
                spellCheck={false}
              />
            </div>
          </fieldset>
        ) : (
          <div className={styles.fields}>
            <div className={ui.field}>
              <label className={ui.label} htmlFor={`${id}-rid`}>
                Live record id
              </label>
              <span id={`${id}-rid-hint`} className={ui.hint}>
                Copied into the sandbox; the live record is only read.
              </span>
              <input
                id={`${id}-rid`}
                className={ui.input}
                aria-describedby={`${id}-rid-hint`}
                value={recordId}
                onChange={(e) => setRecordId(e.target.value)}
              />
            </div>
            {object ? <ReferencePicker field={pickerField(object.name, object.label)} onPick={setRecordId} /> : null}
          </div>
        )}
        {change ? (
          <div className={ui.field}>
            <label className={ui.label} htmlFor={`${id}-change`}>
              Then change {fieldOf(object?.fields, change.field)?.label ?? change.field} to (the trigger)
            </label>
            <FieldInput id={`${id}-change`} field={fieldOf(object?.fields, change.field)} value={changeTo} onChange={setChangeTo} />
          </div>
        ) : null}
        {definition.trigger.type === "sla" ? (
          <div className={ui.field}>
            <label className={ui.label} htmlFor={`${id}-sla`}>
              What the SLA “{definition.trigger.policy}” does (the trigger)
            </label>
            <span id={`${id}-sla-hint`} className={ui.hint}>
              The milestone that starts the workflow; “met” means none falls due, so the record is not enrolled.
            </span>
            <select
              id={`${id}-sla`}
              className={ui.input}
              aria-describedby={`${id}-sla-hint`}
              value={slaOutcome}
              onChange={(e) => setSlaOutcome(e.target.value as SlaOutcome | "")}
            >
              <option value="">Enrol the record directly</option>
              <option value="met">Met: no milestone</option>
              <option value="warning">Reaches its warning</option>
              <option value="breach">Is breached</option>
              <option value="escalation">Escalates</option>
            </select>
          </div>
        ) : null}
        <Segmented
          label="How to run"
          options={[
            { value: "to_end", label: "Run to the end" },
            { value: "to_next_wait", label: "Step by step" },
          ]}
          value={mode}
          onChange={setMode}
        />
        <p className={styles.note}>
          {mode === "to_end"
            ? "Every wait passes at once; an approval nobody answers stops the run."
            : "The run stops at each approval and wait: you decide, or let time pass, and it goes on."}
        </p>
        {formError ? (
          <p className={ui.fieldError} role="alert">
            {formError}
          </p>
        ) : null}
        <div className={styles.buttons}>
          <button type="submit" className={ui.button} disabled={run.isPending}>
            {run.isPending ? "Running…" : "Run test"}
          </button>
          {shown ? (
            <button type="button" className={ui.secondary} onClick={clear}>
              Clear the result
            </button>
          ) : null}
        </div>
      </form>
      {run.error ? <ProblemText error={run.error} what="The test could not run" /> : null}
      {shown ? (
        <div aria-live="polite" ref={resultBox}>
          {Object.keys(shown.setup.answers).length > 0 ? (
            <p className={styles.note}>Answers so far: {answerWords(shown.setup.answers).join("; ")}.</p>
          ) : null}
          <TestResult
            result={shown.result}
            definition={definition}
            stepByStep={shown.setup.mode === "to_next_wait"}
            busy={run.isPending}
            onAnswer={answer}
          />
          <SaveTestCase workflowId={workflowId} setup={shown.setup} result={shown.result} />
        </div>
      ) : null}
    </section>
  );
}

function fieldOf(fields: readonly FieldInfo[] | undefined, name: string): FieldInfo | undefined {
  return fields?.find((f) => f.name === name);
}

/** A reference to a record of the workflow's object, for the "find by name" picker. */
function pickerField(object: string, label: string): FieldInfo {
  return {
    name: "record",
    label: `${label} to test with`,
    type: "reference",
    required: false,
    managed: false,
    custom: false,
    references: [object],
    operators: [],
  };
}

/** One field of the inline record: a choice for enums and yes/no, a number box for numbers, else text. */
function FieldInput({
  id,
  field,
  value,
  onChange,
}: {
  id: string;
  field: FieldInfo | undefined;
  value: string;
  onChange: (v: string) => void;
}) {
  const options = field?.type === "boolean" ? ["true", "false"] : field?.type === "enum" ? (field.options ?? []) : undefined;
  if (options)
    return (
      <select id={id} className={ui.input} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(not set)</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  const number = field?.type === "integer" || field?.type === "number";
  return (
    <input
      id={id}
      className={ui.input}
      type={number ? "number" : field?.type === "email" ? "email" : "text"}
      inputMode={number ? "decimal" : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
