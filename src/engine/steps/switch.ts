/** `switch`: the record's field value picks the next step; unset or unlisted → `default`. */
import { goTo, logOf, type StepHandler } from "./step.js";

export const switchStep: StepHandler<"switch"> = {
  compile: (id, spec) => ({ id, spec }),
  execute: (step, { state, facts }) => {
    const spec = step.spec;
    const value = facts.record[spec.field];
    const next = value === null || value === undefined ? spec.default : (spec.cases[String(value)] ?? spec.default);
    return {
      state: goTo(state.stepsTaken, next),
      commands: [],
      log: logOf(step, `→ ${next ?? "end"}`, `${spec.field} = ${JSON.stringify(value ?? null)}`),
    };
  },
};
