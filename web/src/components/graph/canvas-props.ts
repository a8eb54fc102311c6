/**
 * What every workflow canvas (the read-only graph, the builder) sets on xyflow alike: nothing
 * connects, selects or deletes through xyflow's own keys — each canvas handles selection itself —
 * nodes are keyboard stops, and the fit button and zoom limits follow layout.ts's rule.
 */
import { FIT_VIEW, MIN_ZOOM } from "./layout";

export const SHARED_CANVAS_PROPS = {
  nodesConnectable: false,
  elementsSelectable: false,
  nodesFocusable: true,
  edgesFocusable: false,
  deleteKeyCode: null,
  selectionKeyCode: null,
  multiSelectionKeyCode: null,
  fitViewOptions: FIT_VIEW,
  minZoom: MIN_ZOOM,
  maxZoom: 2,
} as const;
