/**
 * The view a canvas opens at (layout.ts's firstViewport), worked out once the canvas's box has a
 * size and before the canvas is first painted. Undefined until then: render xyflow only once it
 * is known, with it as the default viewport.
 */
import type { Viewport } from "@xyflow/react";
import { type RefObject, useLayoutEffect, useState } from "react";
import { firstViewport, type Placed } from "./layout";

export function useFirstViewport(
  box: RefObject<HTMLElement | null>,
  placed: ReadonlyMap<string, Placed>,
  node: { width: number; height: number },
  focusId?: string,
): Viewport | undefined {
  const [view, setView] = useState<Viewport>();
  // Only the first view: after it, the view is the person's (their pans and zooms survive edits).
  useLayoutEffect(() => {
    const element = box.current;
    if (view || !element) return;
    setView(firstViewport(placed, node, { width: element.clientWidth, height: element.clientHeight }, focusId));
  }, [view, box, placed, node, focusId]);
  return view;
}
