/**
 * Where a problem is, in words, and what to select to fix it: "Step “route” (branch), its else
 * path" for `steps.route.else`, "The trigger" for `trigger.field`. Pure, over model/problems.ts's
 * node of a path.
 */
import type { WorkflowDefinition } from "../../components/graph/definition";
import { TRIGGER_ID } from "../../components/graph/graph-model";
import { nodeOfProblem, type Problem } from "./model/problems";
import type { Selection } from "./types";

const STEP_TYPE_WORDS: Record<string, string> = {
  action: "action",
  branch: "branch",
  switch: "switch",
  delay: "wait",
  wait_for: "wait for",
  end: "end",
};

const TOP_WORDS: Record<string, string> = {
  key: "The workflow's key",
  name: "The workflow's name",
  description: "Why the workflow exists",
  object: "The workflow's object",
  trigger: "The trigger",
  conditions: "The enrollment conditions",
  goal: "The goal",
  start: "The first step",
  reenrollment: "Re-enrollment",
  allow_self_trigger: "Triggering itself",
  limits: "The workflow's limits",
  steps: "The steps",
};

/** What to select so that the canvas and the inspector show the problem. */
export function selectionOfProblem(path: string): Selection {
  const node = nodeOfProblem(path);
  if (node === TRIGGER_ID) return { kind: "trigger" };
  if (node === "workflow") return { kind: "workflow" };
  return { kind: "step", id: node };
}

/** Where the problem is, as a RevOps admin reads it. */
export function problemPlace(problem: Problem, definition: WorkflowDefinition): string {
  const parts = problem.path === "" ? [] : problem.path.split(".");
  const [head, id, ...rest] = parts;
  if (head === "steps" && id) {
    const type = (definition.steps as Record<string, { type?: unknown } | undefined>)[id]?.type;
    const kind = typeof type === "string" ? ` (${STEP_TYPE_WORDS[type] ?? type})` : "";
    return `Step “${id}”${kind}${rest.length > 0 ? `, at ${rest.join(" › ")}` : ""}`;
  }
  if (!head) return "The whole definition";
  const top = TOP_WORDS[head] ?? `“${head}”`;
  const below = parts.slice(1);
  return below.length > 0 ? `${top}, at ${below.join(" › ")}` : top;
}

/** "1 problem", "3 problems". */
export const problemCount = (n: number) => `${n} ${n === 1 ? "problem" : "problems"}`;
