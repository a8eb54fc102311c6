/**
 * How deep a parsed JSON value nests, measured without recursion. Recursive schemas (filters,
 * workflow conditions) are parsed recursively, so a body nested thousands of levels deep would
 * overflow the stack inside the parser: this check runs first and names where the limit was
 * passed. Pure: no IO.
 */
import type { IssuePath } from "./issues.js";

/**
 * The deepest nesting Handoff accepts in any JSON from outside (an API body, a hook delivery, a
 * workflow definition): far beyond what a real document needs, far below what overflows a stack.
 */
export const MAX_JSON_DEPTH = 100;

/** The path of the first value nested deeper than `max` levels (objects and arrays each count one), or undefined. */
export function tooDeepAt(value: unknown, max: number): IssuePath | undefined {
  const stack: Array<{ value: unknown; depth: number; path: IssuePath }> = [{ value, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop() as { value: unknown; depth: number; path: IssuePath };
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > max) return path;
    const children: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((child, i) => [i, child]) : Object.entries(v);
    for (const [key, child] of children) stack.push({ value: child, depth: depth + 1, path: [...path, key] });
  }
  return undefined;
}
