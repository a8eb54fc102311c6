/**
 * What the canvas's nodes and edges carry (xyflow data), and the actions the edge buttons reach
 * through a context, so that the edge and node components stay small and memoised.
 */
import type { Edge, Node } from "@xyflow/react";
import { createContext } from "react";
import type { EdgeSlot, GraphEdge, GraphNode } from "../../../components/graph/graph-model";
import type { CountState, Highlight, StepCounts } from "../types";

export type StepNodeData = {
  node: GraphNode;
  selected: boolean;
  problems: number;
  counts: StepCounts | undefined;
  highlight: Highlight | undefined;
  /** Where the test run shown took this step (its places on the path), or undefined. */
  tested: number[] | undefined;
  /** The accessible name, said once here and on the node's wrapper. */
  label: string;
};
export type StepFlowNode = Node<StepNodeData, "step">;

export type InsertEdgeData = {
  edge: GraphEdge;
  slots: EdgeSlot[];
  /** "between the trigger and step send-email", for the button's name. */
  where: string;
  selected: boolean;
  /** A dragged step or palette item is over this edge. */
  dropTarget: boolean;
};
export type InsertFlowEdge = Edge<InsertEdgeData, "insert">;

/** What is being placed: a palette item or a step being moved, waiting for a "+" to be chosen. */
export type Placing = { kind: "insert"; item: string; label: string } | { kind: "move"; id: string; withSubtree: boolean } | undefined;

export interface CanvasActions {
  editable: boolean;
  placing: Placing;
  /** The "+" of an edge was pressed. */
  onPlus: (edgeId: string) => void;
  /** The edge's label was clicked: it becomes the selected edge (the target of a paste). */
  onPickEdge: (edgeId: string) => void;
  /** A palette item was dropped on an edge. */
  onDropItem: (edgeId: string, item: string) => void;
  onOpenCount: ((stepId: string, state: CountState) => void) | undefined;
}

export const CanvasContext = createContext<CanvasActions>({
  editable: false,
  placing: undefined,
  onPlus: () => {},
  onPickEdge: () => {},
  onDropItem: () => {},
  onOpenCount: undefined,
});

/** The MIME type a palette item is dragged under. */
export const PALETTE_MIME = "application/x-handoff-step";
