/**
 * The workflow in words, as a list: the graph's text alternative, to show beside it. Each entry
 * is a node (the trigger, each step, the end) with what it does, why it exists, and where each
 * of its paths leads. Light: no xyflow, so a page can show it while the graph's chunk loads.
 */
import { useMemo } from "react";
import type { WorkflowDefinition } from "./definition";
import { type GraphNode, listInOrder, type RunView, workflowGraph } from "./graph-model";
import styles from "./WorkflowStepList.module.css";

const RUN_WORDS: Record<GraphNode["run"], string | undefined> = {
  none: undefined,
  visited: "passed",
  current: "the run is here",
  failed: "failed here",
};

function nameOf(n: GraphNode) {
  return n.stepId ? `${n.title} (${n.stepId})` : n.title;
}

export function WorkflowStepList({ definition, run }: { definition: WorkflowDefinition; run?: RunView | undefined }) {
  const items = useMemo(() => listInOrder(workflowGraph(definition, run)), [definition, run]);
  return (
    <ol className={styles.list} aria-label={`Steps of ${definition.name}`}>
      {items.map(({ node, paths }) => (
        <li key={node.id} className={styles.item}>
          <p className={styles.title}>
            {node.kind === "trigger" ? "Trigger: " : ""}
            {nameOf(node)}
            {RUN_WORDS[node.run] ? <span className={styles.run}> — {RUN_WORDS[node.run]}</span> : null}
          </p>
          <p className={styles.detail}>{node.detail}</p>
          {node.description ? <p className={styles.detail}>Why: {node.description}</p> : null}
          {paths.length > 0 ? (
            <ul className={styles.paths}>
              {paths.map((p) => (
                <li key={`${p.kind}-${p.to.id}`}>
                  {p.label ? `${p.label.replace(/^./, (c) => c.toUpperCase())}: ` : "Then: "}
                  {nameOf(p.to)}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
