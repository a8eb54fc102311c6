/**
 * The server's publish validation (POST /api/v1/workflows/validate) answers every problem with
 * a dotted path into the definition: "steps.assign.action.to", "trigger.filter.and.0.field",
 * "conditions.or.1.value", "start". This module says which node of the canvas a problem belongs
 * to and which problems a field of a panel shows, so that a problem appears on the node and the
 * field its path names.
 */
import { TRIGGER_ID } from "../../../components/graph/graph-model.js";

export interface Problem {
  path: string;
  code: string;
  message: string;
  expected?: string;
}

/** The node a problem is drawn on: a step's id, the trigger (trigger, conditions, start), or the workflow itself. */
export function nodeOfProblem(path: string): string | "workflow" {
  const [head, second] = path.split(".");
  if (head === "steps" && second) return second;
  if (head === "trigger" || head === "conditions" || head === "start") return TRIGGER_ID;
  return "workflow";
}

/** The problems at a path or below it ("steps.a.action" holds "steps.a.action.to.field"). */
export function problemsAt(problems: readonly Problem[], path: string): Problem[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));
}

/** How many problems each node has, for the badges on the canvas. */
export function problemsByNode(problems: readonly Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) {
    const node = nodeOfProblem(p.path);
    out.set(node, [...(out.get(node) ?? []), p]);
  }
  return out;
}
