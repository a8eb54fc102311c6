/**
 * The read-only workflow graph, as pages import it. The canvas (xyflow, dagre and xyflow's CSS,
 * about 60 KB compressed) is its own lazy chunk, fetched only when a page shows a graph, so the
 * first route's JavaScript stays small (test/web/serving.test.ts checks the budget).
 */
import { lazy, Suspense } from "react";
import type { WorkflowDefinition } from "./definition";
import type { CountState, NodeHighlight, RunView, StepRunCounts } from "./graph-model";
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
   * A version diff on the graph, by node id (a step's id; the trigger's for the trigger and its
   * conditions): added and changed steps on the newer version's graph, removed ones on the older's.
   */
  highlight?: Record<string, NodeHighlight> | undefined;
  /** The newer version of that diff, for the words on the nodes ("changed in v3"). */
  highlightVersion?: number | undefined;
  /** Runs per step (passed it, waiting there now, failed there), shown on each step node. */
  counts?: Record<string, StepRunCounts> | undefined;
  /** A count on a node was chosen: open those runs. Without it the counts are plain text. */
  onOpenCount?: ((stepId: string, state: CountState) => void) | undefined;
  /** What the counts cover, for the legend ("runs started in the last 7 days"). */
  countsPeriod?: string | undefined;
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
