/**
 * What a waiting run waits for, in words, with its deadline and what happens then — what the
 * record page's Automation panel shows ("Waiting for a call activity on this record until 14:32,
 * then reassign"). The run state knows only the kind of wait and its timer; the words come from
 * the definition of the version the run is pinned to: its goal (which ends the run early), the
 * wait_for step's event or condition, the external action whose result it awaits.
 */
import { assertNever } from "../../crm/never.js";
import { type WorkflowDefinition, workflowSchema } from "../../engine/definition.js";
import type { RunRow, WorkflowReads } from "../../store/workflow-ports.js";
import { conditionInWords } from "./condition-words.js";

export interface WaitView {
  /** What ends the wait early, in words ("a call activity on this record"); null for a plain timer. */
  for: string | null;
  /** When the wait ends on its own (timer or timeout); null when only an outside result ends it. */
  until: string | null;
  /** The step the run goes to when `until` comes (or the result arrives); null = it ends there. */
  next: string | null;
  /** The waiting step's description in the definition: why it waits. */
  why: string | null;
}

export function waitView(run: RunRow, def: WorkflowDefinition | undefined): WaitView | null {
  const state = run.state;
  if (state.status !== "waiting") return null;
  const step = def?.steps[state.step];
  const why = step?.description ?? null;
  const goal = def?.goal ? conditionInWords(def.goal) : null;
  const wait = state.wait;
  switch (wait.kind) {
    case "timer":
      return { for: goal, until: wait.dueAt, next: wait.next, why };
    case "wait_for": {
      const awaited: string[] = [];
      if (step?.type === "wait_for") {
        if (step.event) {
          const where = step.event.where ? ` where ${conditionInWords(step.event.where)}` : "";
          awaited.push(`a ${step.event.kind === "updated" ? "change to a" : "new"} ${step.event.object} on this record${where}`);
        }
        if (step.condition) awaited.push(conditionInWords(step.condition));
      }
      if (goal) awaited.push(goal);
      return {
        for: awaited.length > 0 ? awaited.join(", or ") : null,
        until: wait.dueAt,
        next: step?.type === "wait_for" ? (step.on_timeout ?? null) : null,
        why,
      };
    }
    case "action": {
      const action = step?.type === "action" ? step.action : undefined;
      const what = action
        ? `the result of ${action.type.replaceAll("_", " ")}${"connector" in action ? ` (${action.connector})` : ""}`
        : "an outside result";
      return { for: goal ? `${what}, or ${goal}` : what, until: null, next: step?.type === "action" ? (step.next ?? null) : null, why };
    }
    case "approval": {
      const approval = step?.type === "approval" ? step : undefined;
      const what = `a decision on approval request ${wait.requestId}${wait.round > 1 ? ` (round ${wait.round})` : ""}`;
      const then = approval?.timeout ? (approval.on_timeout ?? null) : (approval?.on_approved ?? null);
      return { for: goal ? `${what}, or ${goal}` : what, until: wait.dueAt, next: then, why };
    }
    case "revision": {
      const approval = step?.type === "approval" ? step : undefined;
      const what = `the submitter to revise the record and resubmit approval request ${wait.requestId}`;
      // Not resubmitted by its deadline: on_timeout, or on_rejected without one (steps/approval.ts).
      const then = wait.dueAt ? (approval?.on_timeout ?? approval?.on_rejected ?? null) : null;
      return { for: goal ? `${what}, or ${goal}` : what, until: wait.dueAt ?? null, next: then, why };
    }
    default:
      return assertNever(wait);
  }
}

/** Wait views of the waiting runs among `runs`, by run id; each pinned version is read once. */
export async function waitViewsOf(workflows: Pick<WorkflowReads, "getVersion">, workspaceId: string, runs: readonly RunRow[]) {
  const defs = new Map<string, Promise<WorkflowDefinition | undefined>>();
  const definition = (r: RunRow) => {
    const key = `${r.workflowId}\u0000${r.version}`;
    let def = defs.get(key);
    if (!def) {
      def = workflows.getVersion(workspaceId, r.workflowId, r.version).then((v) => {
        const parsed = workflowSchema.safeParse(v?.definition);
        return parsed.success ? parsed.data : undefined;
      });
      defs.set(key, def);
    }
    return def;
  };
  const views = new Map<string, WaitView>();
  for (const r of runs) {
    if (r.state.status !== "waiting") continue;
    const view = waitView(r, await definition(r));
    if (view) views.set(r.id, view);
  }
  return views;
}
