/**
 * A validated definition compiled once per version: conditions become closures, and the trigger
 * is summarised into the keys the trigger index is looked up by.
 */
import type { ObjectName } from "../crm/fields.js";
import { calendarRefsOf } from "./calendars.js";
import { ALWAYS, type CompiledCondition, type CountNeed, compileCondition, type Needs } from "./conditions.js";
import type { CalendarRef, TriggerSpec, WorkflowDefinition } from "./definition.js";
import type { CompiledStep } from "./steps/compiled-step.js";
import { compileStep } from "./steps/registry.js";

export type { CompiledStep, CompiledStepOf, StepType } from "./steps/compiled-step.js";

export interface CompiledWorkflow {
  definition: WorkflowDefinition;
  object: ObjectName;
  trigger: TriggerSpec;
  triggerFilter: CompiledCondition;
  enrollment: CompiledCondition;
  goal: CompiledCondition | undefined;
  steps: ReadonlyMap<string, CompiledStep>;
}

export function compileWorkflow(definition: WorkflowDefinition): CompiledWorkflow {
  const t = definition.trigger;
  const filter = "filter" in t && t.filter ? compileCondition(t.filter) : ALWAYS;
  return {
    definition,
    object: definition.object,
    trigger: t,
    triggerFilter: filter,
    enrollment: definition.conditions ? compileCondition(definition.conditions) : ALWAYS,
    goal: definition.goal ? compileCondition(definition.goal) : undefined,
    steps: new Map(Object.entries(definition.steps).map(([id, spec]) => [id, compileStep(id, spec)])),
  };
}

/** The reference fields and counts any condition of the workflow needs loaded, and the calendars its waits measure on. */
export interface WorkflowNeeds extends Needs {
  calendars: CalendarRef[];
}

export function factNeeds(w: CompiledWorkflow): WorkflowNeeds {
  const refs = new Set<string>();
  const counts: CountNeed[] = [];
  const add = (c: CompiledCondition | undefined) => {
    if (!c) return;
    for (const r of c.needs.refs) refs.add(r);
    counts.push(...c.needs.counts);
  };
  add(w.triggerFilter);
  add(w.enrollment);
  add(w.goal);
  for (const s of w.steps.values()) {
    if ("rules" in s) for (const r of s.rules) add(r.when);
    if ("condition" in s) add(s.condition);
    if ("routes" in s) for (const r of s.routes) add(r.when);
  }
  return {
    refs,
    counts: [...new Map(counts.map((c) => [c.key, c])).values()],
    calendars: calendarRefsOf(Object.values(w.definition.steps)),
  };
}
