/**
 * Places the graph's nodes top to bottom with dagre (definitions keep no positions). Sizes are
 * fixed per node so the layout needs no measuring pass; an edge's label gets room between its
 * ranks in proportion to its length.
 */
import dagre from "@dagrejs/dagre";
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
