/**
 * The contract of a step type: how its spec compiles (conditions become closures) and how a
 * running run executes it. One file per type, one line each in `registry.ts`.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { IssuePath } from "../../crm/issues.js";
import type { Checker } from "../checker.js";
import type { Facts } from "../conditions.js";
import type { DecideContext, Decision, StepLog } from "../decision.js";
import type { StepSpec } from "../definition.js";
import { completed, type Running, type RunState, running } from "../run-state.js";
import { isTemplate, renderTemplate } from "../templates.js";
import type { CompiledStepOf, StepType } from "./compiled-step.js";
import type { FieldWrite } from "./writes.js";

/** What a step is executed with: the running state (this step already counted), the facts, the context. */
export interface StepRun {
  state: Running;
  facts: Facts;
  ctx: DecideContext;
  /** The run's record was deleted (a record_deleted trigger): new records cannot point at it. */
  recordGone: boolean;
}

/** Where a step is checked at publish: the checker, the step's path, the workflow's object. */
export interface StepCheck {
  ck: Checker;
  at: IssuePath;
  object: ObjectName;
  hasWorkflow: (key: string) => boolean;
}

/** A step the graph leads to, and the path of the field that names it. */
export interface Successor {
  target: string;
  path: IssuePath;
}

export interface StepHandler<T extends StepType> {
  /** Whether a run stops here for a while: a cycle through steps none of which waits is refused. */
  waits: boolean;
  /** The steps this one may lead to (the graph checks: dangling, unreachable, cycles). */
  successors(spec: Extract<StepSpec, { type: T }>): Successor[];
  /** The fields of the run's record this step may write, and with what (conflict checks at publish). */
  writes(spec: Extract<StepSpec, { type: T }>): FieldWrite[];
  /** Publish-time checks of the spec against the object's fields. */
  check(spec: Extract<StepSpec, { type: T }>, at: StepCheck): void;
  compile(id: string, spec: Extract<StepSpec, { type: T }>): CompiledStepOf<T>;
  /** Pure, like decide(); may throw (a template that does not render): the step then fails. */
  execute(step: CompiledStepOf<T>, run: StepRun): Decision;
}

/** Moves to `next`, or completes the run when there is none. */
export function goTo(stepsTaken: number, next: string | undefined | null): RunState {
  return next ? running(next, stepsTaken) : completed("reached the end", stepsTaken);
}

export function logOf(step: { id: string; spec: { type: string } }, outcome: string, why: string): StepLog {
  return { step: step.id, type: step.spec.type, outcome, why };
}

export function render(value: unknown, facts: Facts): unknown {
  if (!isTemplate(value)) return value;
  return renderTemplate(value, { record: facts.record, related: facts.refs });
}

export function renderAll(values: Record<string, unknown>, facts: Facts): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, render(v, facts)]));
}
