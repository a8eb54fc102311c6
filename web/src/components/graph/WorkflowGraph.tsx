/**
 * The read-only workflow graph, as pages import it. The canvas (xyflow, dagre and xyflow's CSS,
 * about 60 KB compressed) is its own lazy chunk, fetched only when a page shows a graph, so the
 * first route's JavaScript stays small (test/web/serving.test.ts checks the budget).
 */
import { lazy, Suspense } from "react";
import type { WorkflowDefinition } from "./definition";
import type { RunView } from "./graph-model";
import styles from "./WorkflowGraph.module.css";

export interface WorkflowGraphProps {
  definition: WorkflowDefinition;
  /** A run to draw on the graph: its log in order, its status and current step. */
  run?: RunView | undefined;
  /** A step node was clicked or chosen with Enter / Space. */
  onSelectStep?: ((stepId: string) => void) | undefined;
  /** The step shown as selected (e.g. the one open in the list beside the graph). */
  selectedStep?: string | undefined;
  /** The canvas's accessible name; default "Graph of <workflow name>". */
  label?: string | undefined;
  /**
   * Problems to mark on nodes (the builder's server validation), by node id — a step's id, or the
   * trigger's (graph-model.ts TRIGGER_ID): a badge on the node and its messages in its name.
   */
  problems?: ReadonlyMap<string, readonly { message: string }[]> | undefined;
}

const Canvas = lazy(() => import("./WorkflowGraphCanvas"));

export function WorkflowGraph(props: WorkflowGraphProps) {
  return (
    <Suspense
      fallback={
        <p className={styles.loading} aria-live="polite">
          Loading the graph…
        </p>
      }
    >
      <Canvas {...props} />
    </Suspense>
  );
}
