/**
 * The contract between the builder's parts: the page (Builder.tsx) owns the definition and its
 * history; the canvas (BuilderCanvas.tsx) and the inspector (Inspector.tsx) read it and hand
 * back edits. Every edit is a whole new definition; `mergeKey` makes a run of edits to one
 * field (typing) a single undo step.
 */
import type { WorkflowDefinition } from "../../components/graph/definition.js";
import type { CountState, NodeHighlight as Highlight, StepRunCounts as StepCounts } from "../../components/graph/graph-model.js";
import type { Problem } from "./model/problems.js";

/** What the inspector shows: the workflow's own settings, the trigger (with the enrollment conditions and goal), or one step. */
export type Selection = { kind: "workflow" } | { kind: "trigger" } | { kind: "step"; id: string };

export type Edit = (next: WorkflowDefinition, mergeKey?: string) => void;

export interface BuilderPartProps {
  definition: WorkflowDefinition;
  selection: Selection;
  onSelect: (s: Selection) => void;
  onEdit: Edit;
  /** The server's problems with the current definition (empty while it is valid). */
  problems: readonly Problem[];
  /** False for a person who may read but not change workflows. */
  editable: boolean;
  /** Runs of the live version by step, in a chosen period: shown on the canvas's nodes when given. */
  counts?: Record<string, StepCounts> | undefined;
  /** A count on a node was chosen: open those runs. */
  onOpenCount?: ((stepId: string, state: CountState) => void) | undefined;
  /** Steps drawn as added, changed or removed (a version diff), in words as well as colour. */
  highlight?: Record<string, Highlight> | undefined;
  /** The steps a test run took, by step id: their places on its path (1-based; a step taken twice has two). */
  tested?: Record<string, number[]> | undefined;
}

/** The same shapes the read-only graph draws (one home: components/graph/graph-model.ts). */
export type { CountState, NodeHighlight as Highlight, StepRunCounts as StepCounts } from "../../components/graph/graph-model.js";
