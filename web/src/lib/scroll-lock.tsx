/**
 * Stands in for `react-remove-scroll-bar` (vite.config.ts aliases it here), which Radix's modal
 * primitives (Dialog, AlertDialog, modal menus) use to lock the page's scroll. The original
 * injects a <style> element, which the app's Content-Security-Policy (styles from this origin
 * only) refuses, with a console error each time a dialog opens. This keeps its contract — the
 * `data-scroll-locked` counter on <body> while a modal is open, and the class-name constants —
 * and leaves the styling to styles/global.css (`body[data-scroll-locked]`).
 */
import { useEffect } from "react";

export {
  fullWidthClassName,
  noScrollbarsClassName,
  removedBarSizeVariable,
  zeroRightClassName,
} from "react-remove-scroll-bar/constants";

const LOCK = "data-scroll-locked";

const count = () => {
  const n = Number.parseInt(document.body.getAttribute(LOCK) ?? "0", 10);
  return Number.isFinite(n) ? n : 0;
};

/** Counts the open modals on <body>; the attribute goes when the last one closes. */
export function RemoveScrollBar(_props: { noRelative?: boolean; noImportant?: boolean; gapMode?: "margin" | "padding" }) {
  useEffect(() => {
    document.body.setAttribute(LOCK, String(count() + 1));
    return () => {
      const left = count() - 1;
      if (left <= 0) document.body.removeAttribute(LOCK);
      else document.body.setAttribute(LOCK, String(left));
    };
  }, []);
  return null;
}

/** The scrollbar's width is not measured: the page keeps its scrollbar gutter (global.css). */
export function getGapWidth() {
  return { left: 0, top: 0, right: 0, gap: 0 };
}
