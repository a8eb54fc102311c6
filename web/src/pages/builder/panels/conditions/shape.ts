/**
 * A condition of the format seen as the editor shows it: a group (all / any / not all / none of
 * its items) whose items are conditions or groups, each with the definition path its problems
 * are reported at. `{not: …}` is how the format says NOT; a lone condition at the top is a group
 * of one. Pure, so the editor only ever writes conditions the format has.
 */
import type { Condition, LeafCondition } from "../../../../components/graph/definition.js";

export type GroupMode = "all" | "any" | "not_all" | "none";

export const MODE_WORDS: Record<GroupMode, string> = {
  all: "All of these hold (and)",
  any: "Any of these holds (or)",
  not_all: "Not all of these hold (not and)",
  none: "None of these holds (not or)",
};

export interface Group {
  mode: GroupMode;
  items: { condition: Condition; path: string }[];
}

export const isLeaf = (c: Condition): c is LeafCondition => !("and" in c) && !("or" in c) && !("not" in c);

/** The group a condition reads as, with each item's path (a leaf at the top keeps its own path). */
export function asGroup(c: Condition, path: string): Group {
  const items = (xs: Condition[], at: string) => xs.map((condition, i) => ({ condition, path: `${at}.${i}` }));
  if ("and" in c) return { mode: "all", items: items(c.and, `${path}.and`) };
  if ("or" in c) return { mode: "any", items: items(c.or, `${path}.or`) };
  if ("not" in c) {
    const inner = c.not;
    if ("and" in inner) return { mode: "not_all", items: items(inner.and, `${path}.not.and`) };
    if ("or" in inner) return { mode: "none", items: items(inner.or, `${path}.not.or`) };
    return { mode: "none", items: [{ condition: inner, path: `${path}.not` }] };
  }
  return { mode: "all", items: [{ condition: c, path }] };
}

/** The condition a group writes; undefined when it has no items left (the group is removed). */
export function fromGroup(mode: GroupMode, items: Condition[]): Condition | undefined {
  if (items.length === 0) return undefined;
  switch (mode) {
    case "all":
      return { and: items };
    case "any":
      return { or: items };
    case "not_all":
      return { not: { and: items } };
    case "none":
      return { not: { or: items } };
  }
}

/** Whether a group is the top-level lone condition (its only item has the group's own path). */
export const isLoneLeaf = (g: Group, path: string) => g.items.length === 1 && g.items[0]?.path === path;
