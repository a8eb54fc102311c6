/**
 * The builder's canvas, as the page imports it: the editable graph (canvas/BuilderFlow.tsx, with
 * xyflow, dagre and xyflow's stylesheet) is its own lazy chunk, so that no other page pays for it
 * (test/web/serving.test.ts checks the first route's budget).
 */
import { lazy, Suspense } from "react";
import { loadCanvas } from "./data";
import type { BuilderPartProps } from "./types";

const Flow = lazy(loadCanvas);

export function BuilderCanvas(props: BuilderPartProps) {
  return (
    <Suspense fallback={<p aria-live="polite">Loading the canvas…</p>}>
      <Flow {...props} />
    </Suspense>
  );
}
