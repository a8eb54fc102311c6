/**
 * Every step type of the format, one handler each. Typed over StepSpec's union: a step type
 * added to the format without a line here, or a line removed, is a compile error.
 */

import type { Decision } from "../decision.js";
import type { StepSpec } from "../definition.js";
import { actionStep } from "./action.js";
import { approvalStep } from "./approval.js";
import { branchStep } from "./branch.js";
import { classifyStep } from "./classify.js";
import type { CompiledStep, StepType } from "./compiled-step.js";
import { delayStep } from "./delay.js";
import { endStep } from "./end.js";
import type { StepCheck, StepHandler, StepRun, Successor } from "./step.js";
import { switchStep } from "./switch.js";
import { waitForStep } from "./wait-for.js";
import type { FieldWrite } from "./writes.js";

export const STEPS: { [T in StepType]: StepHandler<T> } = {
  action: actionStep,
  branch: branchStep,
  switch: switchStep,
  delay: delayStep,
  wait_for: waitForStep,
  approval: approvalStep,
  classify: classifyStep,
  end: endStep,
};

/**
 * The handler of a step's own type. TypeScript cannot relate a union's member to its registry
 * entry in one expression (correlated unions); a method-typed view of the entry, checked for
 * every member, says it without a cast.
 */
interface AnyStepHandler {
  waits: boolean;
  writes(spec: StepSpec): FieldWrite[];
  successors(spec: StepSpec): Successor[];
  check(spec: StepSpec, at: StepCheck): void;
  compile(id: string, spec: StepSpec): CompiledStep;
  execute(step: CompiledStep, run: StepRun): Decision;
}

/** The handler of the spec's step type. */
export function stepHandler(spec: StepSpec): AnyStepHandler {
  return STEPS[spec.type];
}

export function compileStep(id: string, spec: StepSpec): CompiledStep {
  const h: AnyStepHandler = STEPS[spec.type];
  return h.compile(id, spec);
}

export function executeStep(step: CompiledStep, run: StepRun): Decision {
  const h: AnyStepHandler = STEPS[step.spec.type];
  return h.execute(step, run);
}
