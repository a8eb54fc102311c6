/** `switch`: the record's field value picks the next step; unset or unlisted → `default`. */
import { goTo, logOf, type StepHandler } from "./step.js";

export const switchStep: StepHandler<"switch"> = {
  waits: false,
  writes: () => [],
  successors: (spec) => [
    ...Object.entries(spec.cases).map(([k, v]) => ({ target: v, path: ["cases", k] })),
    ...(spec.default ? [{ target: spec.default, path: ["default"] }] : []),
  ],
  check: (spec, { ck, at }) => {
    const f = ck.field(spec.field, [...at, "field"]);
    if (f)
      for (const value of Object.keys(spec.cases))
        ck.value(f, f.type === "integer" || f.type === "number" ? Number(value) : value, [...at, "cases", value]);
    if (!spec.default) ck.push([...at, "default"], "required", "a switch needs a default path");
  },
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
