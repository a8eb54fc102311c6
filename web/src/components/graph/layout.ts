/**
 * Places the graph's nodes top to bottom with dagre (definitions keep no positions). Sizes are
 * fixed per node so the layout needs no measuring pass; an edge's label gets room between its
 * ranks in proportion to its length.
 */
import dagre from "@dagrejs/dagre";
import { type NodeHandle, Position } from "@xyflow/react";
import type { WorkflowGraphModel } from "./graph-model.js";

export const NODE_WIDTH = 248;
export const NODE_HEIGHT = 84;
/** A node with one more line: its runs counted, or its part in a version diff. */
export const TALL_NODE_HEIGHT = 112;
const LABEL_CHAR_PX = 6.6;

export interface Placed {
  id: string;
  /** Top-left corner, as xyflow positions nodes. */
  x: number;
  y: number;
}

/** Node size and the room an edge needs beside its label (the builder's "+" button). */
export interface LayoutSizes {
  width: number;
  height: number;
  /** Added to every edge's label width; an edge without words gets this much room. */
  labelExtra: number;
}

export const READ_ONLY_SIZES: LayoutSizes = { width: NODE_WIDTH, height: NODE_HEIGHT, labelExtra: 0 };

export function layoutGraph(model: WorkflowGraphModel, sizes: LayoutSizes = READ_ONLY_SIZES): Map<string, Placed> {
  const { width, height, labelExtra } = sizes;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 44, edgesep: 24, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.id, { width, height });
  for (const e of model.edges)
    g.setEdge(
      e.source,
      e.target,
      e.label || labelExtra
        ? { width: Math.min(220, e.label.length * LABEL_CHAR_PX + 12) + labelExtra, height: labelExtra ? 30 : 22, labelpos: "c" }
        : {},
    );
  dagre.layout(g);
  const placed = new Map<string, Placed>();
  for (const n of model.nodes) {
    const p = g.node(n.id);
    placed.set(n.id, { id: n.id, x: p.x - width / 2, y: p.y - height / 2 });
  }
  return placed;
}

/** The drawn size of a handle (6 px and a 1 px border, xyflow's default look). */
const HANDLE_PX = 8;

/**
 * A fixed-size node's geometry as xyflow would measure it: its size, and its handles — the way in
 * centred on the top edge, the way out on the bottom edge, where xyflow's stylesheet draws them.
 * Declared on each node so xyflow never has to measure one. Why it matters: a controlled node
 * passed again as a new object (every drag frame, every edit) without `measured` loses what
 * xyflow measured, and one replaced twice before its re-measure was committed stayed unmeasured,
 * its arrows gone (a flaky builder test under CI's load). It also saves the measuring pass before
 * the first arrows appear.
 */
export function fixedGeometry(
  width: number,
  height: number,
  hasTarget: boolean,
): { width: number; height: number; measured: { width: number; height: number }; handles: NodeHandle[] } {
  const x = width / 2 - HANDLE_PX / 2;
  const out: NodeHandle = { type: "source", position: Position.Bottom, x, y: height - HANDLE_PX / 2, width: HANDLE_PX, height: HANDLE_PX };
  const into: NodeHandle = { type: "target", position: Position.Top, x, y: -HANDLE_PX / 2, width: HANDLE_PX, height: HANDLE_PX };
  return { width, height, measured: { width, height }, handles: hasTarget ? [into, out] : [out] };
}
