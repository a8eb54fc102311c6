/**
 * The AI pages' form boxes: a label over its control, an optional hint, and the server's problem
 * for the box's path written under it (the control points at both with aria-describedby and is
 * marked aria-invalid by its caller). The hint and problem sit outside the <label>, so the
 * control's name stays its label.
 */
import type { ReactNode } from "react";
import styles from "./Ai.module.css";

/** A problem of a 422 answer: its path in the body ("threshold", "converted.0") and its message. */
export interface ModelProblem {
  path: string;
  message: string;
}

/** The first problem's message at a path or below it ("converted" holds "converted.0" and "converted[0]"). */
export const problemFinder =
  (problems: readonly ModelProblem[]) =>
  (path: string): string | undefined =>
    problems.find((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`))?.message;

export function BoxProblem({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className={styles.problem}>
      {message}
    </span>
  ) : null;
}

export function Box({
  id,
  label,
  hint,
  problem,
  children,
}: {
  /** The control's id; its hint is `${id}-hint`, its problem `${id}-problem`. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  problem: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={styles.label}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      <BoxProblem id={`${id}-problem`} message={problem} />
    </div>
  );
}

/** aria-describedby for a Box's control: its hint and, when there is one, its problem. */
export const describedBy = (id: string, { hint = false, problem }: { hint?: boolean; problem: string | undefined }) =>
  [hint ? `${id}-hint` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;
