/**
 * The edits the panels make, as whole new definitions (the builder's contract): a step, a step's
 * action, the trigger or a top-level setting replaced, everything else shared with the previous
 * definition. Pure.
 */
import type { ActionSpec, StepSpec, TriggerSpec, WorkflowDefinition } from "../../../components/graph/definition";

export function withStep(def: WorkflowDefinition, id: string, step: StepSpec): WorkflowDefinition {
  return { ...def, steps: { ...def.steps, [id]: step } };
}

export function withAction(def: WorkflowDefinition, id: string, action: ActionSpec): WorkflowDefinition {
  const step = def.steps[id];
  if (step?.type !== "action") return def;
  return withStep(def, id, { ...step, action });
}

export function withTrigger(def: WorkflowDefinition, trigger: TriggerSpec): WorkflowDefinition {
  return { ...def, trigger };
}

/** A copy of `o` with `key` set, or removed when `value` is undefined (optional fields are left out, not null). */
export function setKey<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): T {
  const next = { ...o };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
