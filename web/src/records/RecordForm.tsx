/**
 * The create / edit form of any object, generated from its field definitions (built-in and
 * custom alike; fields Handoff maintains are left out). It keeps every input as typed; a save
 * the server refuses shows the summary at the top and each message under its field, and keeps
 * what was typed. What a save means (create, or PATCH with If-Match) is the page's.
 */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useMemo, useState } from "react";
import { ui } from "../components/ui";
import { modelsQuery } from "../pages/scoring/data";
import { FieldInput } from "./FieldInput";
import type { FormValues } from "./formValues";
import { editableFields } from "./formValues";
import type { FieldInfo, ObjectInfo } from "./model";
import { ProblemSummary } from "./ProblemSummary";
import { type FormProblem, problemOf } from "./problems";
import styles from "./records.module.css";

export interface RecordFormProps {
  object: ObjectInfo;
  initial: FormValues;
  submitLabel: string;
  /** Saves; throws an ApiError on refusal. */
  save: (values: FormValues) => Promise<void>;
  /** A refusal the page shows itself (the edit page's 412); true when it did. */
  onRefused?: (error: unknown, values: FormValues) => boolean;
  /** Shown above the fields (the edit page's conflict panel). */
  notice?: ReactNode;
  cancel: ReactNode;
  /**
   * Show the fields an enabled scoring model writes read-only, naming the model (an edit: the
   * server refuses anyone else's change). A create may give them a starting value.
   */
  scoredReadOnly?: boolean;
}

export const inputId = (name: string) => `field-${name}`;

const scoreNote = (model: string | undefined) =>
  model === undefined ? undefined : `Set by the scoring model “${model}”; change the model to change it.`;

export function RecordForm({ object, initial, submitLabel, save, onRefused, notice, cancel, scoredReadOnly = false }: RecordFormProps) {
  const fields = useMemo(() => editableFields(object.fields), [object]);
  const names = useMemo(() => new Set(fields.map((f) => f.name)), [fields]);
  const [values, setValues] = useState<FormValues>(initial);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const models = useQuery({ ...modelsQuery, enabled: scoredReadOnly });
  // Fields an enabled scoring model writes: the server refuses anyone else's change, so an edit
  // shows them read-only and says which model sets them (docs/scoring.md "Who writes the score fields").
  const scoredBy = useMemo(() => {
    const out = new Map<string, string>();
    if (!scoredReadOnly) return out;
    for (const m of models.data ?? []) {
      if (!m.enabled || m.object !== object.name) continue;
      for (const field of Object.values(m.fields)) if (field) out.set(field, m.name);
    }
    return out;
  }, [models.data, object.name, scoredReadOnly]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      await save(values);
      setProblem(null);
    } catch (error) {
      if (onRefused?.(error, values)) setProblem(null);
      else setProblem(problemOf(error, names));
    } finally {
      setSaving(false);
    }
  };

  const set = (field: FieldInfo) => (value: string) => {
    setValues((v) => ({ ...v, [field.name]: value }));
  };

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-label={`${object.label} form`}>
      {notice}
      {problem ? <ProblemSummary problem={problem} fields={fields} idOf={inputId} /> : null}
      <p className={ui.hint}>Fields marked (required) must be filled in.</p>
      <div className={styles.formGrid}>
        {fields.map((f) => (
          <FieldInput
            key={f.name}
            field={f}
            id={inputId(f.name)}
            value={values[f.name] ?? ""}
            onChange={set(f)}
            errors={problem?.byField[f.name]}
            object={object.name}
            readOnlyNote={scoreNote(scoredBy.get(f.name))}
          />
        ))}
      </div>
      <div className={styles.actions}>
        <button type="submit" className={ui.button} disabled={saving}>
          {saving ? "Saving…" : submitLabel}
        </button>
        {cancel}
      </div>
    </form>
  );
}
