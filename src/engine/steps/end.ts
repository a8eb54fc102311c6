/** `end`: the run completes here. */
import { completed } from "../run-state.js";
import { logOf, type StepHandler } from "./step.js";

export const endStep: StepHandler<"end"> = {
  waits: false,
  writes: () => [],
  successors: () => [],
  check: () => {},
  compile: (id, spec) => ({ id, spec }),
  execute: (step, { state }) => ({
    state: completed("reached an end step", state.stepsTaken),
    commands: [],
    log: logOf(step, "completed", "end step"),
  }),
};
