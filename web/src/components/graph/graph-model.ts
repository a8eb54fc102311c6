/**
 * A workflow definition as a graph: the trigger, one node per step, the synthetic end a step
 * without a successor leads to, and an edge per path between them, each labelled in words.
 * Pure (no React, no layout), so that the unit test checks it over every step type and every
 * recipe. Definitions keep no positions: layout.ts places the nodes.
 *
 * The edges mirror the engine's successors (src/engine/steps/*.ts): action next / on_failure,
 * branch rules / else, switch cases / default, delay next, wait_for next / on_timeout, approval
 * on_approved / on_rejected / on_timeout. A missing next, else, default, on_timeout, on_approved
 * or on_rejected ends the run (goTo with nothing), so it leads to the end node; an action without
 * on_failure fails the run, which has no edge. An approval's timed-out path is drawn only where
 * it can be taken (a time limit that escalates or takes the path) or is written.
 */
import type { Condition, StepSpec, WorkflowDefinition } from "./definition.js";
import { conditionWords, durationWords, stepWords, triggerWords, valueWords } from "./describe.js";

export const TRIGGER_ID = "__trigger";
export const END_ID = "__end";

export type NodeKind = "trigger" | StepSpec["type"] | "implicit_end" | "missing";
/** Where a run stands at a node: not reached, passed, failed there, or waiting there now. */
export type NodeRunState = "none" | "visited" | "failed" | "current";
/** A node's part in a version diff: added, changed or removed in the newer version. */
export type NodeHighlight = "added" | "changed" | "removed";
/** Where runs stand at one step (GET /workflows/{id}/step-counts): passed it, waiting there now, failed there. */
export type CountState = "passed" | "waiting" | "failed";
export type StepRunCounts = Record<CountState, number>;

/** What a graph may show beside a run: a version diff's highlights and runs counted per step. */
export interface GraphExtras {
  /** By node id: a step's id, or TRIGGER_ID for the trigger and its conditions. */
  highlight?: Readonly<Record<string, NodeHighlight>> | undefined;
  /** The newer version of the diff, for the words ("changed in v3"). */
  highlightVersion?: number | undefined;
  /** By step id; a step absent from it counts no runs. */
  counts?: Readonly<Record<string, StepRunCounts>> | undefined;
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** The step's id in the definition; undefined for the trigger and the synthetic end. */
  stepId: string | undefined;
  title: string;
  detail: string;
  /** The author's "why this step exists". */
  description: string | undefined;
  run: NodeRunState;
  /** The last outcome the run logged at this step (run view only). */
  outcome: string | undefined;
  /** Its part in a version diff, and that in words ("added in v3"); absent outside a diff. */
  highlight?: NodeHighlight | undefined;
  change?: string | undefined;
  /** Runs counted at this step (steps only, when counts are shown). */
  counts?: StepRunCounts | undefined;
}

export type EdgeKind = "next" | "rule" | "else" | "case" | "default" | "failure" | "timeout" | "approved" | "rejected" | "unsure" | "start";

/**
 * Where in the definition an edge is written: the step (or the trigger, for `start`) and the
 * path of the field inside it that names the target — "next", "on_failure", "rules.0.next",
 * "else", "cases.<value>", "default", "on_timeout", or "start" on the definition. The builder
 * edits an edge through its slots.
 */
export interface EdgeSlot {
  source: string;
  path: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label: string;
  /** The fields that write this edge: one, or several when parallel paths were merged into it. */
  slots: EdgeSlot[];
  /** The run went along this edge. */
  taken: boolean;
}

export interface WorkflowGraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The goal in words ("at least 1 activity where type = call"), when the workflow has one. */
  goal: string | undefined;
}

/** One entry of a run's log: the step and what happened there, in order. */
export interface PathEntry {
  step: string;
  outcome: string;
}

/** A run as the graph draws it: its log in order, its status and the step it is at (GET /api/v1/runs/{id}). */
export interface RunView {
  path: readonly PathEntry[];
  status: string;
  step: string | null;
}

/** The field that holds an edge's target, by kind (rules and cases add their index or value). */
const slotOf: Record<EdgeKind, string> = {
  next: "next",
  rule: "rules",
  else: "else",
  case: "cases",
  default: "default",
  failure: "on_failure",
  timeout: "on_timeout",
  approved: "on_approved",
  rejected: "on_rejected",
  unsure: "low_confidence",
  start: "start",
};

/**
 * Whether an approval step has a timed-out path: its time limit escalates (and then takes it) or
 * takes it, or one is written. A time limit that approves or rejects goes on along those paths.
 */
export function approvalTimesOut(s: Extract<StepSpec, { type: "approval" }>): boolean {
  return s.on_timeout !== undefined || s.timeout?.then === "path" || s.timeout?.then === "escalate";
}

/** The edges leaving one step, in the order the definition lists them. */
function stepEdges(id: string, s: StepSpec): Array<Omit<GraphEdge, "id" | "taken">> {
  const to = (target: string | undefined, kind: EdgeKind, label: string, path: string = slotOf[kind]) => ({
    source: id,
    target: target ?? END_ID,
    kind,
    label,
    slots: [{ source: id, path }],
  });
  switch (s.type) {
    case "action":
      return [
        to(s.next, "next", s.on_failure ? "if it succeeds" : ""),
        ...(s.on_failure ? [to(s.on_failure, "failure", "if it fails")] : []),
      ];
    case "branch":
      return [
        ...s.rules.map((r, i) => to(r.next, "rule", r.label ?? conditionWords(r.when as Condition), `rules.${i}.next`)),
        to(s.else, "else", "otherwise"),
      ];
    case "switch":
      return [
        ...Object.entries(s.cases).map(([value, target]) => to(target, "case", valueWords(value), `cases.${value}`)),
        to(s.default, "default", "any other value"),
      ];
    case "delay":
      return [to(s.next, "next", "")];
    case "wait_for":
      return [
        to(s.next, "next", s.event ? "when it happens" : "when it holds"),
        to(s.on_timeout, "timeout", `after ${durationWords(s.timeout)} without it`),
      ];
    case "approval":
      return [
        to(s.on_approved, "approved", "approved"),
        to(s.on_rejected, "rejected", "rejected"),
        ...(approvalTimesOut(s) ? [to(s.on_timeout, "timeout", "timed out")] : []),
      ];
    case "classify":
      return [to(s.next, "next", "sure enough"), to(s.low_confidence ?? s.next, "unsure", "unsure")];
    case "end":
      return [];
  }
}

/**
 * The graph of a definition, and — given a run — where the run went: the steps it passed
 * (visited), the one it failed at, the one it is at now, and the edges between consecutive
 * steps of its log.
 */
export function workflowGraph(def: WorkflowDefinition, run?: RunView, extras?: GraphExtras): WorkflowGraphModel {
  const nodes: GraphNode[] = [];
  const node = (n: Omit<GraphNode, "run" | "outcome" | "description"> & { description?: string | undefined }) =>
    nodes.push({ description: undefined, ...n, run: "none", outcome: undefined });

  const conditions = def.conditions ? `only if ${conditionWords(def.conditions)}` : "no enrollment conditions";
  node({ id: TRIGGER_ID, kind: "trigger", stepId: undefined, title: triggerWords(def.trigger, def.object), detail: conditions });
  for (const [id, s] of Object.entries(def.steps)) node({ id, kind: s.type, stepId: id, ...stepWords(s), description: s.description });

  // Parallel paths between the same two nodes (an email whose success and failure both go on to
  // the wait) are one edge with both labels: two edges on one line cannot be read apart.
  const merged = new Map<string, Omit<GraphEdge, "taken">>();
  const raw = [
    { source: TRIGGER_ID, target: def.start, kind: "start" as const, label: "", slots: [{ source: TRIGGER_ID, path: "start" }] },
    ...Object.entries(def.steps).flatMap(([id, s]) => stepEdges(id, s)),
  ];
  for (const e of raw) {
    const key = `${e.source}->${e.target}`;
    const seen = merged.get(key);
    if (seen) {
      seen.label = [seen.label || "then", e.label || "then"].join(" or ");
      seen.slots = [...seen.slots, ...e.slots];
    } else merged.set(key, { ...e, id: key });
  }
  const edges: GraphEdge[] = [...merged.values()].map((e) => ({ ...e, taken: false }));

  // A target the steps do not hold (a draft in progress) is shown, not dropped.
  const known = new Set(nodes.map((n) => n.id));
  if (edges.some((e) => e.target === END_ID))
    node({ id: END_ID, kind: "implicit_end", stepId: undefined, title: "End", detail: "the run is complete" });
  for (const e of edges) {
    if (e.target !== END_ID && !known.has(e.target)) {
      known.add(e.target);
      node({ id: e.target, kind: "missing", stepId: undefined, title: `Missing step “${e.target}”`, detail: "no step has this id" });
    }
  }

  if (run) markPath(nodes, edges, def, run);
  if (extras) markExtras(nodes, extras);
  return { nodes, edges, goal: def.goal ? conditionWords(def.goal) : undefined };
}

function markPath(nodes: GraphNode[], edges: GraphEdge[], def: WorkflowDefinition, run: RunView) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edgeOf = new Map(edges.map((e) => [`${e.source}->${e.target}`, e]));
  const steps = run.path.filter((p) => def.steps[p.step] !== undefined);
  const trigger = byId.get(TRIGGER_ID);
  if (steps.length === 0 || !trigger) return;
  trigger.run = "visited";
  const first = edgeOf.get(`${TRIGGER_ID}->${def.start}`);
  if (first && steps[0]?.step === def.start) first.taken = true;
  let prev: PathEntry | undefined;
  for (const p of steps) {
    const n = byId.get(p.step);
    if (n) {
      n.outcome = p.outcome;
      n.run = "visited";
    }
    const e = prev && prev.step !== p.step ? edgeOf.get(`${prev.step}->${p.step}`) : undefined;
    if (e) e.taken = true;
    prev = p;
  }
  // The run's state, not the log, says where it stands now: an earlier failure may have been
  // retried, and an action's failure that took its fallback path did not fail the run.
  const here = run.step ? byId.get(run.step) : undefined;
  if (here && run.status === "failed") here.run = "failed";
  else if (here && (run.status === "waiting" || run.status === "running")) here.run = "current";
  // A completed run whose last step has no successor went on to the synthetic end.
  const end = prev ? edgeOf.get(`${prev.step}->${END_ID}`) : undefined;
  const endNode = byId.get(END_ID);
  if (run.status === "completed" && end && endNode) {
    end.taken = true;
    endNode.run = "visited";
  }
}

const NO_RUNS: StepRunCounts = { passed: 0, waiting: 0, failed: 0 };

function markExtras(nodes: GraphNode[], { highlight, highlightVersion, counts }: GraphExtras) {
  for (const n of nodes) {
    const h = highlight?.[n.id];
    if (h) {
      n.highlight = h;
      n.change = `${h} in ${highlightVersion !== undefined ? `v${highlightVersion}` : "the newer version"}`;
    }
    if (counts && n.stepId !== undefined) n.counts = counts[n.stepId] ?? NO_RUNS;
  }
}

/** "3 passed, 1 waiting, 0 failed". */
export function countsWords(c: StepRunCounts): string {
  return `${c.passed} passed, ${c.waiting} waiting, ${c.failed} failed`;
}

/** The accessible name of a node: what it is, what it does, and where the run stands. */
export function nodeLabel(n: GraphNode): string {
  const kind = n.kind === "trigger" ? "Trigger" : n.kind === "implicit_end" || n.kind === "end" ? "End" : "Step";
  const run =
    n.run === "failed"
      ? ", the run failed here"
      : n.run === "current"
        ? ", the run is here now"
        : n.run === "visited"
          ? `, passed${n.outcome ? ` (${n.outcome})` : ""}`
          : "";
  const title = n.title === "End" && kind === "End" ? "" : `: ${n.title}`;
  const change = n.change ? `, ${n.change}` : "";
  const counts = n.counts ? `, runs: ${countsWords(n.counts)}` : "";
  return `${kind}${n.stepId ? ` ${n.stepId}` : ""}${title}, ${n.detail}${run}${change}${counts}`;
}

/** A node with the paths leaving it, for a list that reads like the graph. */
export interface ListedNode {
  node: GraphNode;
  paths: Array<{ label: string; kind: EdgeKind; to: GraphNode }>;
}

/**
 * The graph as a list (the text alternative beside the canvas): from the trigger, breadth first
 * along the edges in the definition's order, so a step comes after the ones that lead to it
 * (for an acyclic workflow); nodes no path reaches come last.
 */
export function listInOrder(model: WorkflowGraphModel): ListedNode[] {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const out = new Map<string, GraphEdge[]>();
  for (const e of model.edges) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  const order: string[] = [];
  const seen = new Set<string>([TRIGGER_ID]);
  const queue = [TRIGGER_ID];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    order.push(id);
    for (const e of out.get(id) ?? [])
      if (!seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
  }
  // The synthetic end reads best last; so do nodes nothing reaches.
  const rest = model.nodes.filter((n) => !seen.has(n.id)).map((n) => n.id);
  const ids = [...order.filter((id) => id !== END_ID), ...rest, ...(seen.has(END_ID) ? [END_ID] : [])];
  return ids.flatMap((id) => {
    const node = byId.get(id);
    if (!node) return [];
    const paths = (out.get(id) ?? []).flatMap((e) => {
      const to = byId.get(e.target);
      return to ? [{ label: e.label, kind: e.kind, to }] : [];
    });
    return [{ node, paths }];
  });
}
