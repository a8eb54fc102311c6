/**
 * A node of the builder's canvas: what the step is and does in words, its id, a badge with the
 * number of problems the server found on it, the runs that passed, wait or failed there (when
 * the page gives counts; each opens those runs), and "added" / "changed" / "removed" in words
 * when the page compares versions, and "Test run · step N" on the steps a test run took.
 */
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo, useContext } from "react";
import type { GraphNode } from "../../../components/graph/graph-model";
import type { CountState } from "../types";
import styles from "./canvas.module.css";
import { CanvasContext, type StepFlowNode } from "./flow-types";

export const KIND_WORDS: Record<GraphNode["kind"], string> = {
  trigger: "Trigger",
  action: "Action",
  branch: "Branch",
  switch: "Switch",
  delay: "Wait",
  wait_for: "Wait for",
  approval: "Approval",
  classify: "Classify",
  end: "End",
  implicit_end: "End",
  missing: "Missing",
};

/** The class of each kind (CSS Modules hand classes out in camelCase). */
const KIND_CLASS: Record<GraphNode["kind"], string | undefined> = {
  trigger: styles.trigger,
  action: styles.action,
  branch: styles.branch,
  switch: styles.switch,
  delay: styles.delay,
  wait_for: styles.waitFor,
  approval: styles.approval,
  classify: styles.classify,
  end: styles.end,
  implicit_end: styles.end,
  missing: styles.missing,
};
const COUNT_CLASS: Record<CountState, string | undefined> = {
  passed: styles.countPassed,
  waiting: styles.countWaiting,
  failed: styles.countFailed,
};

const HIGHLIGHT_WORDS = { added: "Added", changed: "Changed", removed: "Removed" } as const;
const COUNT_WORDS: Record<CountState, string> = { passed: "passed", waiting: "waiting", failed: "failed" };
const COUNT_PHRASE: Record<CountState, string> = { passed: "that passed", waiting: "waiting at", failed: "that failed at" };

function StepNodeView({ data }: NodeProps<StepFlowNode>) {
  const { onOpenCount } = useContext(CanvasContext);
  const n = data.node;
  const classes = [
    styles.node,
    KIND_CLASS[n.kind],
    data.selected ? styles.selected : "",
    data.highlight ? styles[data.highlight] : "",
    data.tested ? styles.tested : "",
    data.problems > 0 ? styles.hasProblems : "",
  ];
  return (
    <div className={classes.filter(Boolean).join(" ")}>
      {n.kind !== "trigger" ? <Handle type="target" position={Position.Top} isConnectable={false} className={styles.handle} /> : null}
      <span className={styles.top}>
        <span className={styles.kind}>
          {KIND_WORDS[n.kind]}
          {n.stepId ? <span className={styles.stepId}> · {n.stepId}</span> : null}
        </span>
        {data.problems > 0 ? (
          <span className={styles.problemBadge} aria-hidden="true">
            {data.problems} {data.problems === 1 ? "problem" : "problems"}
          </span>
        ) : null}
      </span>
      <span className={styles.title}>{n.title}</span>
      <span className={styles.detail}>{n.detail}</span>
      {data.highlight || data.counts || data.tested ? (
        <span className={styles.footer}>
          {data.highlight ? <span className={styles.highlightTag}>{HIGHLIGHT_WORDS[data.highlight]}</span> : null}
          {data.tested ? <span className={styles.testedTag}>Test run · step {data.tested.join(", ")}</span> : null}
          {data.counts && n.stepId
            ? (["passed", "waiting", "failed"] as const).map((state) => {
                const count = data.counts?.[state] ?? 0;
                const stepId = n.stepId as string;
                return onOpenCount ? (
                  <button
                    key={state}
                    type="button"
                    className={`nodrag ${styles.count} ${COUNT_CLASS[state]}`}
                    // The name starts with the words shown ("1 waiting"), as the workflow page's counts do.
                    aria-label={`${count} ${COUNT_WORDS[state]}: open ${count === 1 ? "the run" : `the ${count} runs`} ${COUNT_PHRASE[state]} step ${stepId}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onOpenCount(stepId, state);
                    }}
                  >
                    {count} {COUNT_WORDS[state]}
                  </button>
                ) : (
                  <span key={state} className={`${styles.count} ${COUNT_CLASS[state]}`}>
                    {count} {COUNT_WORDS[state]}
                  </span>
                );
              })
            : null}
        </span>
      ) : null}
      {n.kind !== "end" && n.kind !== "implicit_end" ? (
        <Handle type="source" position={Position.Bottom} isConnectable={false} className={styles.handle} />
      ) : null}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
