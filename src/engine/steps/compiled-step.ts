/**
 * What compiling makes of one step: its spec, plus its conditions as closures for the types that
 * have any. Its own module so that compile.ts (which runs each step type's compile through the
 * registry) and the step files (which produce these) both import it without importing each other.
 */
import type { CompiledCondition } from "../conditions.js";
import type { StepSpec } from "../definition.js";

export type StepType = StepSpec["type"];

/** What compiling adds to a step's spec, by type: its conditions as closures. */
interface CompiledParts {
  branch: { rules: Array<{ when: CompiledCondition; next: string; label: string }> };
  approval: { routes: Array<{ when: CompiledCondition | undefined }> };
  wait_for: { condition: CompiledCondition | undefined; eventWhere: CompiledCondition | undefined };
}

/** A step of type T, compiled. */
export type CompiledStepOf<T extends StepType> = { id: string; spec: Extract<StepSpec, { type: T }> } & (T extends keyof CompiledParts
  ? CompiledParts[T]
  : unknown);

export type CompiledStep = { [T in StepType]: CompiledStepOf<T> }[StepType];
