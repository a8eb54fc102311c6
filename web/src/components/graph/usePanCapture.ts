/**
 * While a person drags a canvas's empty pane to pan it, the pane keeps the pointer (pointer
 * capture) and the canvas is marked `data-panning`: the pointer's moves are not hit-tested against
 * every node and arrow under it (no hover changes, no pointerover/out on the way), and the CSS of
 * `[data-panning]` stops text selection. Measured with `npm run bench:builder` (docs/benchmarks.md):
 * hit tests and hover updates were a large part of the main thread's work per frame during a pan
 * of a 100-step workflow.
 */
import { type RefObject, useEffect } from "react";

export function usePanCapture(box: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const end = () => element.removeAttribute("data-panning");
    const down = (e: PointerEvent) => {
      const pane = e.target;
      // Only the empty pane pans: a press on a node, an arrow's "+" or a control keeps its own behaviour.
      if (e.button !== 0 || !(pane instanceof Element) || !pane.classList.contains("react-flow__pane")) return;
      pane.setPointerCapture(e.pointerId);
      element.setAttribute("data-panning", "");
      pane.addEventListener("lostpointercapture", end, { once: true });
    };
    element.addEventListener("pointerdown", down);
    return () => {
      element.removeEventListener("pointerdown", down);
      end();
    };
  }, [box]);
}
