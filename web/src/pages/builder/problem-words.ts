/**
 * Where a problem is, in words, and what to select to fix it: "Step “route” (branch), its else
 * path" for `steps.route.else`, "The trigger" for `trigger.field`. Pure, over model/problems.ts's
 * node of a path.
 */
import type { WorkflowDefinition } from "../../components/graph/definition.js";
import { TRIGGER_ID } from "../../components/graph/graph-model.js";
import { nodeOfProblem, type Problem } from "./model/problems.js";
import type { Selection } from "./types.js";

const STEP_TYPE_WORDS: Record<string, string> = {
  action: "action",
  branch: "branch",
  switch: "switch",
  delay: "wait",
  wait_for: "wait for",
  approval: "approval",
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

/** Field names of the format as the panels call them. */
const SEGMENT_WORDS: Record<string, string> = {
  when: "condition",
  else: "else path",
  next: "next step",
  on_failure: "path if it fails",
  on_timeout: "path after the timeout",
  on_approved: "path if approved",
  on_rejected: "path if rejected",
  escalate_to: "escalate to",
  max_rounds: "rounds at most",
  default: "path for any other value",
  and: "all of",
  or: "any of",
  not: "not",
  op: "operator",
  to: "recipient",
};

/** "rules.0.when.field" → "rule 1 › condition › field". */
function segmentWords(segments: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const next = segments[i + 1];
    if (next !== undefined && /^\d+$/.test(next) && /s$/.test(seg)) {
      // A list and its index: "rules", "0" → "rule 1".
      out.push(`${(SEGMENT_WORDS[seg] ?? seg.replace(/_/g, " ")).replace(/s$/, "")} ${Number(next) + 1}`);
      i++;
    } else if (/^\d+$/.test(seg)) out.push(`#${Number(seg) + 1}`);
    else out.push(SEGMENT_WORDS[seg] ?? seg.replace(/_/g, " "));
  }
  return out.join(" › ");
}

/** What the server expected, short: a long list of options is cut after a few. */
export function expectedWords(expected: string | undefined): string | undefined {
  if (!expected) return undefined;
  const options = expected.split(", ");
  if (options.length <= 6) return expected;
  return `${options.slice(0, 6).join(", ")}, … (${options.length} in all)`;
}

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
    return `Step “${id}”${kind}${rest.length > 0 ? `, ${segmentWords(rest)}` : ""}`;
  }
  if (!head) return "The whole definition";
  const top = TOP_WORDS[head] ?? `“${head}”`;
  const below = parts.slice(1);
  return below.length > 0 ? `${top}, ${segmentWords(below)}` : top;
}

/** "1 problem", "3 problems". */
export const problemCount = (n: number) => `${n} ${n === 1 ? "problem" : "problems"}`;
