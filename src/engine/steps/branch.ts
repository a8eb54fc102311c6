/** `branch`: the first rule whose condition holds picks the next step; none holds → `else`. */
import { compileCondition } from "../conditions.js";
import { goTo, logOf, type StepHandler } from "./step.js";

export const branchStep: StepHandler<"branch"> = {
  waits: false,
  writes: () => [],
  successors: (spec) => [
    ...spec.rules.map((r, i) => ({ target: r.next, path: ["rules", i, "next"] })),
    ...(spec.else ? [{ target: spec.else, path: ["else"] }] : []),
  ],
  check: (spec, { ck, at }) => {
    for (const [i, r] of spec.rules.entries()) ck.condition(r.when, [...at, "rules", i, "when"]);
    if (!spec.else) ck.push([...at, "else"], "required", "a branch needs an else path (point it at an end step if nothing should happen)");
  },
  compile: (id, spec) => ({
    id,
    spec,
    rules: spec.rules.map((r, i) => ({ when: compileCondition(r.when), next: r.next, label: r.label ?? `rule ${i + 1}` })),
  }),
  execute: (step, { state, facts }) => {
    for (const rule of step.rules) {
      if (rule.when.test(facts))
        return {
          state: goTo(state.stepsTaken, rule.next),
          commands: [],
          log: logOf(step, `→ ${rule.next}`, `${rule.label}: ${rule.when.explain(facts)}`),
        };
    }
    const why = step.rules.map((r) => `${r.label}: ${r.when.explain(facts)}`).join("; ");
    return { state: goTo(state.stepsTaken, step.spec.else), commands: [], log: logOf(step, `→ ${step.spec.else ?? "end"} (else)`, why) };
  },
};
