/**
 * `wait_for`: go on at once if the condition holds; otherwise wait for it (record changes), for
 * a linked record's event, or for the timeout (decide() handles those inputs while waiting).
 */
import { compileCondition } from "../conditions.js";
import { waiting } from "../run-state.js";
import { durationMs } from "../time.js";
import { goTo, logOf, type StepHandler } from "./step.js";

export const waitForStep: StepHandler<"wait_for"> = {
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
