/**
 * The list of what stops the workflow from being published, opened from the toolbar's
 * "N problems": each problem in words with the place it is about and a button that selects that
 * node, so that the canvas and the inspector show it.
 */
import { useEffect, useRef } from "react";
import type { WorkflowDefinition } from "../../components/graph/definition";
import styles from "./builder.module.css";
import type { Problem } from "./model/problems";
import { expectedWords, problemCount, problemPlace, selectionOfProblem } from "./problem-words";
import type { Selection } from "./types";

export const PROBLEM_LIST_ID = "builder-problems";

export function ProblemList({
  problems,
  definition,
  onShow,
  onClose,
}: {
  problems: readonly Problem[];
  definition: WorkflowDefinition;
  /** Select the node the problem is about (and leave the JSON view for the canvas). */
  onShow: (s: Selection) => void;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening the list moves the focus to it, so keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      id={PROBLEM_LIST_ID}
      className={problems.length === 0 ? styles.noProblems : styles.problemList}
      aria-labelledby={`${PROBLEM_LIST_ID}-title`}
    >
      <div className={styles.problemListHead}>
        <h2 id={`${PROBLEM_LIST_ID}-title`} ref={heading} tabIndex={-1}>
          {problems.length === 0
            ? "No problems: this workflow can be published"
            : `${problemCount(problems.length)} to fix before publishing`}
        </h2>
        <button type="button" className={styles.plainButton} onClick={onClose}>
          Close the list
        </button>
      </div>
      {problems.length > 0 ? (
        <ul>
          {problems.map((p, i) => (
            // Two problems can share a path and a message only by repeating each other; the index keeps keys unique.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={`${p.path}:${p.message}:${i}`}>
              <span className={styles.problemPlace}>{problemPlace(p, definition)}:</span> {p.message}
              {p.expected ? <span className={styles.muted}> (expected: {expectedWords(p.expected)})</span> : null}{" "}
              <button type="button" className={styles.plainButton} onClick={() => onShow(selectionOfProblem(p.path))}>
                Show{" "}
                {selectionOfProblem(p.path).kind === "step"
                  ? "the step"
                  : selectionOfProblem(p.path).kind === "trigger"
                    ? "the trigger"
                    : "the workflow's settings"}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
