/**
 * The canvas's edits as pure operations on a definition: insert a step on an edge, delete a step
 * (reconnecting what led to it, or with what follows), move a step or a whole part onto another
 * edge, copy steps and paste them onto an edge. Each returns a new definition (the input is never
 * changed) or a refusal in words, so that undo is the page's history and the canvas can say why.
 *
 * An edge is named by its slots (graph-model.ts): the field(s) that write it, `start` for
 * trigger → first step. Rules every operation keeps:
 * - A path that ends is written as the format reads it: an optional field (an action's or a
 *   delay's `next`) is left out; a field the publish checks require (start, a rule's next, a
 *   case, a branch's else, a switch's default, a wait's on_timeout) points at a new end step.
 * - Splicing a part onto an edge: the edge now leads to the part's first step, and the part's
 *   main path (next / else / default …) goes on to where the edge led. A main path that stops at
 *   a bare end step of the part gives way to it (the end step is dropped).
 * - Nothing that could be reached before is left unreachable (except by a delete, which removes
 *   what can no longer be reached), and no loop appears where there was none: such an edit is
 *   refused with the reason.
 */
import type { StepSpec, WorkflowDefinition } from "../../../components/graph/definition.js";
import { approvalTimesOut, type EdgeSlot, TRIGGER_ID } from "../../../components/graph/graph-model.js";
import { type InsertContext, type PaletteId, paletteItem } from "./palette.js";

export type EditResult = { ok: true; definition: WorkflowDefinition; focus: string | undefined } | { ok: false; reason: string };

export type DeleteMode = "reconnect" | "subtree";

/** Steps copied from a workflow: their specs, and their order along the workflow. */
export interface Clipboard {
  steps: Record<string, StepSpec>;
  order: string[];
}

export type InsertOptions = Omit<InsertContext, "end">;

const STEP_ID = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * Fields whose target must be a step when the workflow is published (an end step where the path
 * stops) — and a classify step's unsure path, which left out would go on with its sure one rather
 * than stop: where an edit cuts it off, it ends at an end step.
 */
function needsStep(path: string): boolean {
  return (
    path === "start" ||
    path === "low_confidence" ||
    path === "else" ||
    path === "default" ||
    path === "on_timeout" ||
    path.startsWith("rules.") ||
    path.startsWith("cases.")
  );
}

/** The path a step goes on along when nothing special happens: the one an insert continues. */
export function mainPath(s: StepSpec): string | undefined {
  switch (s.type) {
    case "action":
    case "delay":
    case "wait_for":
      return "next";
    case "branch":
      return "else";
    case "switch":
      return "default";
    case "approval":
      return "on_approved";
    case "classify":
      return "next";
    case "end":
      return undefined;
  }
}

/** Every path out of a step with where it leads (undefined: the run ends there). */
export function outSlots(s: StepSpec): Array<{ path: string; target: string | undefined }> {
  switch (s.type) {
    case "action":
      return [{ path: "next", target: s.next }, ...(s.on_failure ? [{ path: "on_failure", target: s.on_failure }] : [])];
    case "branch":
      return [...s.rules.map((r, i) => ({ path: `rules.${i}.next`, target: r.next })), { path: "else", target: s.else }];
    case "switch":
      return [...Object.entries(s.cases).map(([v, t]) => ({ path: `cases.${v}`, target: t })), { path: "default", target: s.default }];
    case "delay":
      return [{ path: "next", target: s.next }];
    case "wait_for":
      return [
        { path: "next", target: s.next },
        { path: "on_timeout", target: s.on_timeout },
      ];
    case "approval":
      return [
        { path: "on_approved", target: s.on_approved },
        { path: "on_rejected", target: s.on_rejected },
        ...(approvalTimesOut(s) ? [{ path: "on_timeout", target: s.on_timeout }] : []),
      ];
    case "classify":
      return [
        { path: "next", target: s.next },
        { path: "low_confidence", target: s.low_confidence },
      ];
    case "end":
      return [];
  }
}

/** `path` of a step set to `target` (undefined removes an optional field), as a new step. */
function withTarget(s: StepSpec, path: string, target: string | undefined): StepSpec {
  if (path.startsWith("rules.") && s.type === "branch") {
    const i = Number(path.split(".")[1]);
    return { ...s, rules: s.rules.map((r, j) => (j === i ? { ...r, next: target as string } : r)) };
  }
  if (path.startsWith("cases.") && s.type === "switch")
    return { ...s, cases: { ...s.cases, [path.slice("cases.".length)]: target as string } };
  const copy = { ...s } as Record<string, unknown>;
  if (target === undefined) delete copy[path];
  else copy[path] = target;
  return copy as StepSpec;
}

/** A readable id from a name: "Send email" → "send-email". */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 50);
  return STEP_ID.test(s) ? s : "step";
}

/**
 * A working copy of a definition: the steps map is copied once and every changed step is
 * replaced by a new object, so the input stays as it was.
 */
class Draft {
  start: string;
  steps: Record<string, StepSpec>;
  /** Steps created by this edit (new end steps among them). */
  readonly created = new Set<string>();

  constructor(private readonly def: WorkflowDefinition) {
    this.start = def.start;
    this.steps = { ...def.steps };
  }

  result(): WorkflowDefinition {
    return { ...this.def, start: this.start, steps: this.steps };
  }

  fresh(base: string): string {
    const b = slug(base).slice(0, 58);
    if (!this.steps[b]) return b;
    for (let n = 2; ; n++) if (!this.steps[`${b}-${n}`]) return `${b}-${n}`;
  }

  add(id: string, spec: StepSpec) {
    this.steps[id] = spec;
    this.created.add(id);
  }

  /** A new end step, for a path that must lead to a step. */
  endStep(): string {
    const id = this.fresh("end");
    this.add(id, { type: "end" });
    return id;
  }

  remove(id: string) {
    delete this.steps[id];
    this.created.delete(id);
  }

  target(slot: EdgeSlot): string | undefined {
    if (slot.source === TRIGGER_ID) return this.start;
    const s = this.steps[slot.source];
    return s ? outSlots(s).find((o) => o.path === slot.path)?.target : undefined;
  }

  write(slot: EdgeSlot, target: string | undefined) {
    const to = target ?? (needsStep(slot.path) ? this.endStep() : undefined);
    if (slot.source === TRIGGER_ID) {
      this.start = to as string;
      return;
    }
    const s = this.steps[slot.source];
    if (s) this.steps[slot.source] = withTarget(s, slot.path, to);
  }

  /** Every slot that leads to `id`, the trigger's start among them. */
  pointersTo(id: string): EdgeSlot[] {
    const out: EdgeSlot[] = this.start === id ? [{ source: TRIGGER_ID, path: "start" }] : [];
    for (const [source, s] of Object.entries(this.steps))
      for (const o of outSlots(s)) if (o.target === id) out.push({ source, path: o.path });
    return out;
  }

  /** The steps the trigger reaches, optionally as if `without` were not there. */
  reachable(without?: string): Set<string> {
    const seen = new Set<string>();
    const stack = [this.start];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      const s = this.steps[id];
      if (!s || seen.has(id) || id === without) continue;
      seen.add(id);
      for (const o of outSlots(s)) if (o.target) stack.push(o.target);
    }
    return seen;
  }

  unreachable(): Set<string> {
    const r = this.reachable();
    return new Set(Object.keys(this.steps).filter((id) => !r.has(id)));
  }

  hasLoop(): boolean {
    const colour = new Map<string, 1 | 2>();
    const visit = (id: string): boolean => {
      colour.set(id, 1);
      for (const o of outSlots(this.steps[id] as StepSpec)) {
        if (!o.target || !this.steps[o.target]) continue;
        const c = colour.get(o.target);
        if (c === 1 || (c === undefined && visit(o.target))) return true;
      }
      colour.set(id, 2);
      return false;
    };
    return Object.keys(this.steps).some((id) => !colour.has(id) && visit(id));
  }

  /**
   * Where a part continues: follow its main path from `root` while it stays in the part; the
   * first main field that ends (or stops at a bare end step of the part that only it leads to).
   */
  exit(root: string, part: Set<string>): { slot: EdgeSlot; dropped?: string } | undefined {
    const seen = new Set<string>();
    let id = root;
    while (!seen.has(id)) {
      seen.add(id);
      const s = this.steps[id];
      const path = s ? mainPath(s) : undefined;
      if (!s || !path) return undefined;
      const slot = { source: id, path };
      const t = this.target(slot);
      if (t === undefined) return { slot };
      if (!part.has(t)) return undefined;
      const next = this.steps[t];
      if (next?.type === "end" && !next.description && this.pointersTo(t).length === 1) return { slot, dropped: t };
      id = t;
    }
    return undefined;
  }

  /** The edge (its slots) now leads to `root`; the part's exit goes on to where the edge led. */
  splice(root: string, part: Set<string>, slots: readonly EdgeSlot[]) {
    const first = slots[0];
    const old = first ? this.target(first) : undefined;
    for (const s of slots) this.write(s, root);
    if (old === undefined) return;
    const exit = this.exit(root, part);
    if (!exit) return;
    this.write(exit.slot, old);
    if (exit.dropped) this.remove(exit.dropped);
  }

  /** Removes the steps the trigger no longer reaches (that it reached before), and re-points what named them. */
  prune(unreachableBefore: Set<string>) {
    const gone = [...this.unreachable()].filter((id) => !unreachableBefore.has(id));
    for (const id of gone) this.remove(id);
    const removed = new Set(gone);
    for (const [source, s] of Object.entries(this.steps))
      for (const o of outSlots(s)) if (o.target && removed.has(o.target)) this.write({ source, path: o.path }, undefined);
  }

  /** The edit's outcome: refused when it left a reachable step unreachable or made a loop. */
  finish(before: { unreachable: Set<string>; loop: boolean }, focus: string | undefined): EditResult {
    const lost = [...this.unreachable()].filter((id) => !before.unreachable.has(id));
    if (lost.length > 0)
      return {
        ok: false,
        reason: `Nothing would lead to ${lost.map((id) => `“${id}”`).join(", ")} any more. Put it where a path ends, or move what follows first.`,
      };
    if (!before.loop && this.hasLoop()) return { ok: false, reason: "That would make the workflow go round in a loop." };
    return { ok: true, definition: this.result(), focus };
  }

  snapshot() {
    return { unreachable: this.unreachable(), loop: this.hasLoop() };
  }
}

const main = (d: Draft, id: string): string | undefined => {
  const s = d.steps[id];
  const path = s ? mainPath(s) : undefined;
  const t = path ? d.target({ source: id, path }) : undefined;
  return t === id ? undefined : t;
};

/** The edge's current target (undefined: the path ends). */
export function edgeTarget(def: WorkflowDefinition, slots: readonly EdgeSlot[]): string | undefined {
  const first = slots[0];
  return first ? new Draft(def).target(first) : undefined;
}

/** A new step from the palette on an edge. */
export function insertStep(def: WorkflowDefinition, slots: readonly EdgeSlot[], item: PaletteId, options: InsertOptions): EditResult {
  const d = new Draft(def);
  const entry = paletteItem(item);
  // An End before a step would cut the path off (or, before another end, change nothing).
  if (entry.id === "end" && slots[0] && d.target(slots[0]) !== undefined)
    return { ok: false, reason: "An End step goes only where a path ends (where the arrow leads to End)." };
  const before = d.snapshot();
  const id = d.fresh(entry.idBase);
  d.add(id, { type: "end" }); // holds the id while the default makes its end steps
  d.steps[id] = entry.make({ ...options, end: () => d.endStep() });
  d.splice(id, new Set(d.created), slots);
  return d.finish(before, id);
}

/**
 * Deletes a step. "reconnect": what led to it now leads to its main successor; its other paths
 * (a branch's rules, a fallback), which nothing else reaches, go with it. "subtree": what led to
 * it ends there, and everything only it led to goes too.
 */
export function deleteStep(def: WorkflowDefinition, id: string, mode: DeleteMode): EditResult {
  const d = new Draft(def);
  const step = d.steps[id];
  if (!step) return { ok: false, reason: `There is no step “${id}”.` };
  if (step.type === "end" && d.start === id && Object.keys(d.steps).length === 1)
    return { ok: false, reason: "A workflow needs at least one step: add steps before this end instead." };
  const before = d.unreachable();
  const to = mode === "reconnect" ? main(d, id) : undefined;
  for (const p of d.pointersTo(id)) if (p.source !== id) d.write(p, to);
  d.remove(id);
  d.prune(before);
  return { ok: true, definition: d.result(), focus: to };
}

/** What each way of deleting would do: where "reconnect" leads, and which other steps each removes. */
export function deletePreview(
  def: WorkflowDefinition,
  id: string,
): { reconnectTo: string | undefined; reconnect: string[]; subtree: string[] } {
  const removed = (r: EditResult) => (r.ok ? Object.keys(def.steps).filter((s) => s !== id && !r.definition.steps[s]) : []);
  return {
    reconnectTo: main(new Draft(def), id),
    reconnect: removed(deleteStep(def, id, "reconnect")),
    subtree: removed(deleteStep(def, id, "subtree")),
  };
}

/** The step and everything only it leads to. */
export function subtreeOf(def: WorkflowDefinition, id: string): Set<string> {
  const d = new Draft(def);
  const all = d.reachable();
  if (!all.has(id)) return new Set([id]);
  const without = d.reachable(id);
  return new Set([...all].filter((s) => !without.has(s)));
}

/** Moves a step (alone: what led to it goes on to its main successor) or with what follows it, onto an edge. */
export function moveStep(def: WorkflowDefinition, id: string, slots: readonly EdgeSlot[], withSubtree: boolean): EditResult {
  const d = new Draft(def);
  if (!d.steps[id]) return { ok: false, reason: `There is no step “${id}”.` };
  if (slots.some((s) => d.target(s) === id)) return { ok: false, reason: "It is already there." };
  const before = d.snapshot();
  const part = withSubtree ? subtreeOf(def, id) : new Set([id]);
  if (slots.some((s) => part.has(s.source)))
    return { ok: false, reason: withSubtree ? "A part cannot be moved into itself." : "A step cannot be moved onto its own paths." };
  const to = withSubtree ? undefined : main(d, id);
  for (const p of d.pointersTo(id)) if (!part.has(p.source)) d.write(p, to);
  if (!withSubtree) {
    const path = mainPath(d.steps[id] as StepSpec);
    if (path) d.write({ source: id, path }, undefined);
  }
  d.splice(id, new Set([...part, ...d.created]), slots);
  return d.finish(before, id);
}

/** The order of steps along the workflow (breadth first from the trigger), then the rest. */
function order(def: WorkflowDefinition): string[] {
  const seen = new Set<string>();
  const queue = [def.start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const s = def.steps[id];
    if (!s || seen.has(id)) continue;
    seen.add(id);
    for (const o of outSlots(s)) if (o.target) queue.push(o.target);
  }
  return [...seen, ...Object.keys(def.steps).filter((id) => !seen.has(id))];
}

export function copySteps(def: WorkflowDefinition, ids: Iterable<string>): Clipboard {
  const chosen = new Set(ids);
  const ordered = order(def).filter((id) => chosen.has(id));
  return { steps: Object.fromEntries(ordered.map((id) => [id, def.steps[id] as StepSpec])), order: ordered };
}

/**
 * Pastes copied steps onto an edge, each under a fresh id. Links between them are kept; links
 * to steps that were not copied end there. Parts that nothing copied leads to are chained in
 * the workflow's order, the first on the edge and the last going on to where the edge led.
 */
export function pasteSteps(def: WorkflowDefinition, clip: Clipboard, slots: readonly EdgeSlot[]): EditResult {
  if (clip.order.length === 0) return { ok: false, reason: "Nothing is copied: select a step and press Ctrl+C first." };
  const d = new Draft(def);
  const before = d.snapshot();
  const ids = new Map<string, string>();
  for (const old of clip.order) {
    const id = d.fresh(old);
    ids.set(old, id);
    d.add(id, { type: "end" });
  }
  for (const old of clip.order) {
    const id = ids.get(old) as string;
    const spec = clip.steps[old] as StepSpec;
    d.steps[id] = spec;
    for (const o of outSlots(spec)) d.write({ source: id, path: o.path }, o.target ? ids.get(o.target) : undefined);
  }
  const targeted = new Set(clip.order.flatMap((old) => outSlots(clip.steps[old] as StepSpec).map((o) => o.target)));
  const roots = clip.order.filter((old) => !targeted.has(old)).map((old) => ids.get(old) as string);
  if (roots.length === 0) roots.push(ids.get(clip.order[0] as string) as string);
  const part = () => new Set(d.created);
  for (let i = 0; i + 1 < roots.length; i++) {
    const exit = d.exit(roots[i] as string, part());
    if (!exit) continue;
    d.write(exit.slot, roots[i + 1]);
    if (exit.dropped) d.remove(exit.dropped);
  }
  d.splice(roots[0] as string, part(), slots);
  return d.finish(before, roots[0]);
}

/** The edge after a step: its main path (for "paste after the selected step"). */
export function slotsAfter(def: WorkflowDefinition, id: string): EdgeSlot[] | undefined {
  const s = def.steps[id];
  const path = s ? mainPath(s) : undefined;
  return path ? [{ source: id, path }] : undefined;
}

/**
 * A step replaced by a panel, keeping the definition's paths whole: a path the new settings open
 * that must lead somewhere (an approval's timed-out path, once its time limit escalates or takes
 * it) leads to a new end step; an approval's timed-out path its settings no longer take, that led
 * to a bare end step only it reached, goes with that end step (nothing is left unreachable).
 */
export function replaceStep(def: WorkflowDefinition, id: string, next: StepSpec): WorkflowDefinition {
  const d = new Draft(def);
  const before = d.steps[id];
  let step = next;
  if (step.type === "approval" && step.on_timeout !== undefined && step.timeout?.then !== "path" && step.timeout?.then !== "escalate") {
    const target = step.on_timeout;
    const t = d.steps[target];
    const onlyHere = d.pointersTo(target).every((p) => p.source === id && p.path === "on_timeout");
    if (t?.type === "end" && !t.description && onlyHere && target !== d.start) {
      const { on_timeout: _gone, ...rest } = step;
      step = rest;
      d.remove(target);
    }
  }
  d.steps[id] = step;
  const had = new Set(before ? outSlots(before).map((o) => o.path) : []);
  for (const o of outSlots(step))
    if (!had.has(o.path) && o.target === undefined && needsStep(o.path)) d.write({ source: id, path: o.path }, undefined);
  return d.result();
}
