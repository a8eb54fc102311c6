/**
 * One labelled setting of a panel, like the app's Field (components/ui.tsx): the label, an
 * optional hint, the control, and the server's problems whose path names this setting — written
 * under it and read out with it (aria-invalid, aria-describedby). The control is rendered by the
 * caller with the props given, so a select, a textarea or a picker all get the same wiring.
 */
import type { ReactNode } from "react";
import { type Problem, problemsAt } from "../model/problems";
import { controlId, useKit } from "./kit";
import styles from "./panels.module.css";

export interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
  disabled: boolean;
}

export interface PanelFieldProps {
  /** The definition path the setting edits: its problems, its id and its undo key. */
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  children: (control: ControlProps) => ReactNode;
  /** A checkbox: the label follows the control on one line. */
  inline?: boolean;
  /** Told apart from another control of the same path (a field and its value): added to the id. */
  suffix?: string;
  /** False for the first of two controls of one path, so that its problems are shown once, by the second. */
  showProblems?: boolean;
  /**
   * Only the problems at exactly this path, not those below it: for a setting about a whole part
   * (an approval's route: "either levels or an automatic decision") whose inner settings show their own.
   */
  exact?: boolean;
}

export function PanelField({ path, label, hint, children, inline, suffix = "", showProblems = true, exact = false }: PanelFieldProps) {
  const kit = useKit();
  const id = `${controlId(path)}${suffix}`;
  const problems = !showProblems ? [] : exact ? exactProblems(kit.problems, path) : problemsAt(kit.problems, path);
  const described = [hint ? `${id}-hint` : "", problems.length > 0 ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const control = children({
    id,
    "aria-invalid": problems.length > 0 ? true : undefined,
    "aria-describedby": described,
    disabled: !kit.editable,
  });
  const hintEl = hint ? (
    <span id={`${id}-hint`} className={styles.hint}>
      {hint}
    </span>
  ) : null;
  const errors =
    problems.length > 0 ? (
      <span id={`${id}-error`} className={styles.error}>
        {problems.map((p) => p.message).join(" ")}
      </span>
    ) : null;
  if (inline)
    return (
      <div className={styles.field}>
        <div className={styles.inline}>
          {control}
          <label htmlFor={id}>{label}</label>
        </div>
        {hintEl}
        {errors}
      </div>
    );
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {hintEl}
      {control}
      {errors}
    </div>
  );
}

/** The problems at exactly a path (not below it). */
export function exactProblems(problems: readonly Problem[], path: string): Problem[] {
  return problems.filter((p) => p.path === path);
}

/**
 * The problems of a whole part (a step, the trigger, the workflow) in one list at its top, so
 * that none stays hidden when no single setting names it (the settings below show theirs too).
 */
export function ProblemSummary({ path, select, shownBelow }: { path?: string; select?: (p: Problem) => boolean; shownBelow?: boolean }) {
  const kit = useKit();
  const problems = (path === undefined ? kit.problems : problemsAt(kit.problems, path)).filter((p) => select?.(p) ?? true);
  if (problems.length === 0) return null;
  return (
    <div className={styles.summary} role="status">
      <strong>
        {problems.length === 1 ? "1 problem to fix" : `${problems.length} problems to fix`} before publishing
        {shownBelow ? " (each is shown by its setting below)" : ""}:
      </strong>
      <ul>
        {problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}
