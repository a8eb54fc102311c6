/**
 * `wait_for`: go on at once if the condition holds; otherwise wait for it (record changes), for
 * a linked record's event, or for the timeout (decide() handles those inputs while waiting).
 */
import { compileCondition } from "../conditions.js";
import { waiting } from "../run-state.js";
import { durationMs } from "../time.js";
import { goTo, logOf, type StepHandler } from "./step.js";

export const waitForStep: StepHandler<"wait_for"> = {
  waits: true,
  writes: () => [],
  successors: (spec) => [
    ...(spec.next ? [{ target: spec.next, path: ["next"] }] : []),
    ...(spec.on_timeout ? [{ target: spec.on_timeout, path: ["on_timeout"] }] : []),
  ],
  check: (spec, { ck, at, object }) => {
    if (!spec.event && !spec.condition) ck.push(at, "required", "wait_for needs an event or a condition");
    if (spec.condition) ck.condition(spec.condition, [...at, "condition"]);
    if (spec.event) {
      const f = ck.field(spec.event.link, [...at, "event", "link"], spec.event.object, false);
      if (f && !(f.type === "reference" && f.references?.includes(object)))
        ck.push([...at, "event", "link"], "invalid_value", `"${spec.event.link}" of ${spec.event.object} cannot point at a ${object}`);
      if (spec.event.where) ck.condition(spec.event.where, [...at, "event", "where"], spec.event.object);
    }
    if (!spec.on_timeout) ck.push([...at, "on_timeout"], "required", "wait_for needs an on_timeout path");
  },
  compile: (id, spec) => ({
    id,
    spec,
    condition: spec.condition ? compileCondition(spec.condition) : undefined,
    eventWhere: spec.event?.where ? compileCondition(spec.event.where) : undefined,
  }),
  execute: (step, { state, facts, ctx }) => {
    const spec = step.spec;
    if (step.condition?.test(facts)) {
      return { state: goTo(state.stepsTaken, spec.next), commands: [], log: logOf(step, "condition_met", step.condition.explain(facts)) };
    }
    const dueAt = new Date(ctx.nowMs + durationMs(spec.timeout)).toISOString();
    const timerId = `${ctx.runId}:${ctx.seq}`;
    const what = spec.event ? `${spec.event.object} ${spec.event.kind} linked by ${spec.event.link}` : "the condition";
    return {
      state: waiting(step.id, { kind: "wait_for", timerId, dueAt }, state.stepsTaken),
      commands: [{ type: "start_timer", timerId, dueAt }],
      log: logOf(step, "waiting", `waiting for ${what} until ${dueAt}`),
    };
  },
};
