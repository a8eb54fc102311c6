/**
 * The view a workflow canvas opens at (layout.ts's firstViewport): the whole workflow when it is
 * readable so, else a readable zoom on the focus — the trigger at the top of the frame. Pure: from
 * placed nodes and a box size; checked as properties over random placements and boxes, and on the
 * bench's 100-step workflow as the builder lays it out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { largeWorkflow } from "../../src/bench/builder-workflow.js";
import { workflowSchema } from "../../src/engine/definition.js";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { TRIGGER_ID, workflowGraph } from "../../web/src/components/graph/graph-model.js";
import {
  FOCUS_ZOOM,
  firstViewport,
  layoutGraph,
  MIN_ZOOM,
  NODE_HEIGHT,
  NODE_WIDTH,
  type Placed,
  READABLE_ZOOM,
} from "../../web/src/components/graph/layout.js";

const node = { width: NODE_WIDTH, height: NODE_HEIGHT };
const onScreen = (p: { x: number; y: number }, v: { x: number; y: number; zoom: number }) => ({
  x: p.x * v.zoom + v.x,
  y: p.y * v.zoom + v.y,
});

const near = (a: number, b: number) => Math.abs(a - b) < 0.01;
const inside = (p: Placed, view: { x: number; y: number; zoom: number }, box: { width: number; height: number }) => {
  const topLeft = onScreen(p, view);
  const bottomRight = onScreen({ x: p.x + node.width, y: p.y + node.height }, view);
  return topLeft.x >= -0.5 && topLeft.y >= -0.5 && bottomRight.x <= box.width + 0.5 && bottomRight.y <= box.height + 0.5;
};
/** The size of the box around every node. */
const extent = (placed: Map<string, Placed>) => {
  const all = [...placed.values()];
  const x = Math.min(...all.map((p) => p.x));
  const y = Math.min(...all.map((p) => p.y));
  return { width: Math.max(...all.map((p) => p.x)) + node.width - x, height: Math.max(...all.map((p) => p.y)) + node.height - y };
};

const placements = fc
  .array(fc.record({ x: fc.integer({ min: -3000, max: 3000 }), y: fc.integer({ min: -200, max: 12000 }) }), { minLength: 1, maxLength: 40 })
  .map(
    (points) =>
      new Map<string, Placed>(points.map((p, i) => [i === 0 ? TRIGGER_ID : `s${i}`, { id: i === 0 ? TRIGGER_ID : `s${i}`, ...p }])),
  );
const boxes = fc.record({ width: fc.integer({ min: 320, max: 2560 }), height: fc.integer({ min: 240, max: 1600 }) });

describe("the first view of a workflow canvas", () => {
  it("shows every node whole when that is readable; otherwise opens at a readable zoom with the trigger centred at the top", () => {
    fc.assert(
      fc.property(placements, boxes, (placed, box) => {
        const view = firstViewport(placed, node, box);
        expect(view.zoom).toBeGreaterThanOrEqual(MIN_ZOOM);
        expect(view.zoom).toBeLessThanOrEqual(1);
        const whole = view.zoom >= READABLE_ZOOM && [...placed.values()].every((p) => inside(p, view, box));
        const trigger = onScreen(placed.get(TRIGGER_ID) as Placed, view);
        const atTop = view.zoom === FOCUS_ZOOM && near(trigger.y, 24) && near(trigger.x + (node.width * view.zoom) / 2, box.width / 2);
        const size = extent(placed);
        // Room to spare at a readable zoom: it must be shown whole. No room even without margins:
        // it must open at the top. Between the two (the fit's margins decide) either will do.
        if (size.width * READABLE_ZOOM * 1.2 <= box.width && size.height * READABLE_ZOOM * 1.2 <= box.height) expect(whole).toBe(true);
        else if (size.width * READABLE_ZOOM > box.width || size.height * READABLE_ZOOM > box.height) expect(atTop).toBe(true);
        else expect(whole || atTop).toBe(true);
      }),
    );
  });

  it("centres a focus other than the trigger (the step a run failed at) in the frame", () => {
    fc.assert(
      fc.property(placements, boxes, (placed, box) => {
        const focus = [...placed.keys()].at(-1) as string;
        const size = extent(placed);
        fc.pre(focus !== TRIGGER_ID && (size.width * READABLE_ZOOM > box.width || size.height * READABLE_ZOOM > box.height));
        const view = firstViewport(placed, node, box, focus);
        expect(view.zoom).toBe(FOCUS_ZOOM);
        const p = onScreen(placed.get(focus) as Placed, view);
        expect(p.x + (node.width * view.zoom) / 2).toBeCloseTo(box.width / 2);
        expect(p.y + (node.height * view.zoom) / 2).toBeCloseTo(box.height / 2);
      }),
    );
  });

  it("a 100-step workflow in the builder's canvas (about 900 × 640 at a 1280 × 800 window) opens readable at its top; a 10-step one is fitted whole", () => {
    const graphOf = (steps: number) => workflowGraph(workflowSchema.parse(largeWorkflow(steps)) as unknown as WorkflowDefinition);
    const box = { width: 900, height: 640 };
    const big = firstViewport(layoutGraph(graphOf(100)), node, box);
    expect(big.zoom).toBe(FOCUS_ZOOM);
    const small = layoutGraph(graphOf(10));
    expect(firstViewport(small, node, box).zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("an empty placement opens at 1:1 at the origin", () => {
    expect(firstViewport(new Map(), node, { width: 800, height: 600 })).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
