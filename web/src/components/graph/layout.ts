/**
 * Places the graph's nodes top to bottom with dagre (definitions keep no positions). Sizes are
 * fixed per node so the layout needs no measuring pass; an edge's label gets room between its
 * ranks in proportion to its length.
 */
import dagre from "@dagrejs/dagre";
import { getViewportForBounds, type NodeHandle, Position, type Viewport } from "@xyflow/react";
import { TRIGGER_ID, type WorkflowGraphModel } from "./graph-model.js";

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
  // First in the definition's order (dagre's first ordering: the order nodes and edges were added,
  // so a switch's cases stay in the definition's order), skipping dagre's crossing minimisation —
  // a third of the layout's time for 100 steps. A tree-shaped workflow has no crossings that way;
  // only when the arrows do cross is the layout done again with the minimisation.
  const quick = dagreLayout(model, sizes, true);
  return hasCrossings(quick) ? placedOf(dagreLayout(model, sizes, false), model, sizes) : placedOf(quick, model, sizes);
}

/** Whether the layout in the definition's order (without crossing minimisation) has crossing arrows. */
export const definitionOrderCrosses = (model: WorkflowGraphModel, sizes: LayoutSizes = READ_ONLY_SIZES) =>
  hasCrossings(dagreLayout(model, sizes, true));

function dagreLayout(model: WorkflowGraphModel, sizes: LayoutSizes, definitionOrder: boolean): dagre.graphlib.Graph {
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
  dagre.layout(g, { disableOptimalOrderHeuristic: definitionOrder });
  return g;
}

function placedOf(g: dagre.graphlib.Graph, model: WorkflowGraphModel, { width, height }: LayoutSizes): Map<string, Placed> {
  const placed = new Map<string, Placed>();
  for (const n of model.nodes) {
    const p = g.node(n.id);
    placed.set(n.id, { id: n.id, x: p.x - width / 2, y: p.y - height / 2 });
  }
  return placed;
}

type Point = { x: number; y: number };
const turn = (a: Point, b: Point, c: Point) => Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
/** Whether segments ab and cd cross at a point inside both (touching ends do not count). */
const cross = (a: Point, b: Point, c: Point, d: Point) => turn(a, b, c) * turn(a, b, d) < 0 && turn(c, d, a) * turn(c, d, b) < 0;

/** Whether two of the laid-out arrows (dagre's routed polylines) cross. */
export function hasCrossings(g: dagre.graphlib.Graph): boolean {
  const segments = g.edges().map((e) => {
    const points = (g.edge(e).points ?? []) as Point[];
    return points.slice(1).map((p, i) => [points[i] as Point, p] as const);
  });
  for (let i = 0; i < segments.length; i++)
    for (let j = i + 1; j < segments.length; j++)
      for (const [a, b] of segments[i] ?? []) for (const [c, d] of segments[j] ?? []) if (cross(a, b, c, d)) return true;
  return false;
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

/** How a whole workflow is fitted in view: a little room around it, never enlarged past 1:1. */
export const FIT_VIEW = { padding: 0.08, maxZoom: 1 } as const;
export const MIN_ZOOM = 0.15;
/** Below this zoom a node's words are too small to read (13 px text at 0.7 is about 9 px). */
export const READABLE_ZOOM = 0.7;
/** A workflow too big to read whole opens at this zoom... */
export const FOCUS_ZOOM = 0.85;
/** ...with its trigger this far below the top of the frame. */
const TOP_MARGIN = 24;

/**
 * The view a canvas opens at: the whole workflow when it fits at a readable size; otherwise a
 * readable zoom centred on the focus node — or, when that is the trigger, with the trigger at the
 * top (centred, it would sit mid-frame with empty space above and half the workflow cut off). From
 * the placed nodes and the canvas's size, so the canvas is drawn once where it belongs, not drawn
 * and then moved (which cost the builder's 100-step bench half a second).
 */
export function firstViewport(
  placed: ReadonlyMap<string, Placed>,
  node: { width: number; height: number },
  box: { width: number; height: number },
  focusId: string = TRIGGER_ID,
): Viewport {
  const all = [...placed.values()];
  if (all.length === 0) return { x: 0, y: 0, zoom: 1 };
  const left = Math.min(...all.map((p) => p.x));
  const top = Math.min(...all.map((p) => p.y));
  const bounds = {
    x: left,
    y: top,
    width: Math.max(...all.map((p) => p.x)) + node.width - left,
    height: Math.max(...all.map((p) => p.y)) + node.height - top,
  };
  const fitted = getViewportForBounds(bounds, box.width, box.height, MIN_ZOOM, FIT_VIEW.maxZoom, FIT_VIEW.padding);
  if (fitted.zoom >= READABLE_ZOOM) return fitted;
  const focus = placed.get(focusId) ?? placed.get(TRIGGER_ID);
  if (!focus) return fitted;
  const zoom = FOCUS_ZOOM;
  const x = box.width / 2 - (focus.x + node.width / 2) * zoom;
  const y = focus.id === TRIGGER_ID ? TOP_MARGIN - focus.y * zoom : box.height / 2 - (focus.y + node.height / 2) * zoom;
  return { x, y, zoom };
}
