/**
 * Editing a saved test case (issue 19; docs/testing-workflows.md "In the web app"): a dialog with
 * the case's name, its record (fields as JSON, or a live record's id), the change that triggers it,
 * the tester's answers, and each expectation — status, path, fields, owner, messages — each field
 * labelled, with its hint and problem read out with it. Saved with PUT …/test-cases/{caseId}; a
 * problem the server names (a path like `expect.messages[0].kind`) is shown next to that field,
 * the rest above the buttons. The pure part is edit-model.ts.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { Modal } from "../Modal";
import { ui } from "../ui";
import { bodyOf, type CaseForm, type FieldProblems, FORM_FIELDS, type FormField, formOf, problemsByField, STATUSES } from "./edit-model";
import styles from "./test-cases.module.css";

type TestCase = Schemas["TestCase"];

export function EditTestCase({
  workflowId,
  testCase,
  onClose,
}: {
  workflowId: string;
  testCase: TestCase | undefined;
  onClose: () => void;
}) {
  return (
    <Modal open={testCase !== undefined} onClose={onClose} title={`Edit the test case “${testCase?.name ?? ""}”`}>
      {testCase ? <EditForm key={testCase.id} workflowId={workflowId} testCase={testCase} onDone={onClose} /> : null}
    </Modal>
  );
}

function EditForm({ workflowId, testCase, onDone }: { workflowId: string; testCase: TestCase; onDone: () => void }) {
  const id = useId();
  const client = useQueryClient();
  const [form, setForm] = useState<CaseForm>(() => formOf(testCase as Parameters<typeof formOf>[0]));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [other, setOther] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      unwrap(
        await api.PUT("/api/v1/workflows/{id}/test-cases/{caseId}", {
          params: { path: { id: workflowId, caseId: testCase.id } },
          body: body as Schemas["TestCase"] & { expect: Schemas["TestCase"]["expect"] },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["test-cases", workflowId] });
      onDone();
    },
    onError: (error) => {
      const errors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
      const grouped = problemsByField(errors);
      setProblems(grouped.fields);
      setOther(errors.length === 0 ? [error.message] : grouped.other.length > 0 ? [error.message, ...grouped.other] : []);
      focusFirstProblem(id, grouped.fields);
    },
  });
  const set = <K extends keyof CaseForm>(k: K, v: CaseForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = bodyOf(form);
    if ("problems" in r) {
      setProblems(r.problems);
      setOther([]);
      focusFirstProblem(id, r.problems);
      return;
    }
    setProblems({});
    setOther([]);
    save.mutate(r.body);
  };
  const field = (f: FormField, label: string, control: (a: ControlProps) => ReactNode, hint?: string) => (
    <Labelled id={`${id}-${f}`} label={label} hint={hint} error={problems[f]}>
      {control}
    </Labelled>
  );
  const input = (k: keyof CaseForm) => (a: ControlProps) => (
    <input {...a} className={ui.input} value={form[k] as string} onChange={(e) => set(k, e.target.value as never)} />
  );
  const text = (k: keyof CaseForm) => (a: ControlProps) => (
    <textarea
      {...a}
      className={`${ui.input} ${styles.code}`}
      rows={4}
      spellCheck={false}
      value={form[k] as string}
      onChange={(e) => set(k, e.target.value as never)}
    />
  );

  return (
    <form className={styles.editForm} onSubmit={submit} noValidate aria-label="Edit the test case">
      {field("name", "Case name", (a) => (
        <input {...a} className={ui.input} value={form.name} onChange={(e) => set("name", e.target.value)} />
      ))}
      <fieldset>
        <legend>The record</legend>
        <div className={ui.field}>
          <span className={ui.label} id={`${id}-source`}>
            Run with
          </span>
          <div role="radiogroup" aria-labelledby={`${id}-source`} className={styles.actions}>
            <label>
              <input type="radio" name={`${id}-source`} checked={form.source === "inline"} onChange={() => set("source", "inline")} /> a
              record described here
            </label>
            <label>
              <input type="radio" name={`${id}-source`} checked={form.source === "live"} onChange={() => set("source", "live")} /> a live
              record (copied, never written)
            </label>
          </div>
        </div>
        {form.source === "inline"
          ? field("record", "Record fields (JSON)", text("record"), 'Field name → value, like {"score": 80, "employee_count": 300}.')
          : field("record_id", "Live record id", input("record_id"))}
        {field("changes", "Then change (JSON, optional)", text("changes"), "Applied as an update: the trigger of field-changed workflows.")}
        {field(
          "answers",
          "Answers at waits (JSON, optional)",
          text("answers"),
          'By step id, like {"approve": {"decision": "approve"}} or {"wait-for-call": {"event_after_minutes": 5}}.',
        )}
      </fieldset>
      <fieldset>
        <legend>Expect (leave a field empty not to check it)</legend>
        {field("expect.status", "Status", (a) => (
          <select {...a} className={ui.input} value={form.status} onChange={(e) => set("status", e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        ))}
        {field("expect.path", "Path (step ids, in order)", input("path"), "Separated by commas, like assign, call-task, auto-reply.")}
        {field("expect.fields", "Fields after the run (JSON)", text("fields"), 'Like {"status": "working"}.')}
        {field("expect.owner.user", "Owner (a name, an email or an id)", input("ownerUser"))}
        {field("expect.owner.team", "Owner's team", input("ownerTeam"))}
        {field(
          "expect.messages",
          "Messages sent (JSON)",
          text("messages"),
          'A list, like [{"kind": "email", "to": "record"}]; "count": 0 expects none.',
        )}
      </fieldset>
      {other.length > 0 ? (
        <div role="alert" className={ui.alert}>
          <strong>The test case was not saved.</strong>
          <ul>
            {other.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className={styles.buttons}>
        <button type="button" className={ui.secondary} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={ui.button} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

interface ControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/** A label, a hint and a problem around one control, all read out with it. */
function Labelled({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (a: ControlProps) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={ui.field}>
      <label className={ui.label} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <span id={`${id}-hint`} className={ui.hint}>
          {hint}
        </span>
      ) : null}
      {children({ id, ...(error ? { "aria-invalid": true as const } : {}), ...(described ? { "aria-describedby": described } : {}) })}
      {error ? (
        <span id={`${id}-error`} className={ui.fieldError}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** Moves focus to the first field with a problem, so that a keyboard user lands where to fix it. */
function focusFirstProblem(id: string, problems: FieldProblems) {
  const first = FORM_FIELDS.find((f) => problems[f] !== undefined);
  if (!first) return;
  requestAnimationFrame(() => document.getElementById(`${id}-${first}`)?.focus());
}
