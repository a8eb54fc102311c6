/**
 * Undo and redo for the builder: every edit replaces the whole definition (definitions are small
 * and immutable here), and the history keeps the ones before and after. Typing into one field
 * is one edit, not one per key: an edit with the same `mergeKey` as the one before it, within
 * MERGE_MS, replaces that entry instead of adding one. Pure, so the unit test drives it directly.
 */
export const MERGE_MS = 1000;
/** Enough for a long session of edits; the oldest fall off. */
export const HISTORY_LIMIT = 200;

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The merge key and time of the last edit, so that typing coalesces. */
  last: { key: string; at: number } | undefined;
}

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], last: undefined };
}

/** One edit. `at` is the caller's clock (Date.now() in the page, a number in tests). */
export function record<T>(h: History<T>, next: T, at: number, mergeKey?: string): History<T> {
  if (next === h.present) return h;
  const merges = mergeKey !== undefined && h.last?.key === mergeKey && at - h.last.at <= MERGE_MS;
  const past = merges ? h.past : [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], last: mergeKey === undefined ? undefined : { key: mergeKey, at } };
}

export function undo<T>(h: History<T>): History<T> {
  const previous = h.past.at(-1);
  if (previous === undefined) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], last: undefined };
}

export function redo<T>(h: History<T>): History<T> {
  const [next, ...future] = h.future;
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future, last: undefined };
}

export const canUndo = <T>(h: History<T>) => h.past.length > 0;
export const canRedo = <T>(h: History<T>) => h.future.length > 0;
