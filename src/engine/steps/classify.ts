/**
 * `classify` (issue 24; docs/ai.md "The classify step"): an AI model predicts a field of the
 * run's record. Confident enough — at or above the model's threshold — the value is written and
 * the run goes on to `next`; less confident, or with no prediction at all (the model is off,
 * untrained or gone), nothing is written and the run takes `low_confidence` (a human triage
 * queue), or `next` without one. Either way the prediction is kept with its reasons. The model
 * is run by the runtime before deciding and handed in as `facts.prediction`: the step only reads it.
 */
import type { PredictionFact } from "../conditions.js";
import type { Decision } from "../decision.js";
import { goTo, logOf, type StepHandler } from "./step.js";

type Made = Extract<PredictionFact, { ok: true }>;

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** "“refund” in the subject, plan = enterprise": the reasons a person reads. */
export function reasonsInWords(p: Pick<Made, "reasons">): string {
  return p.reasons.map((r) => r.text).join(", ") || "no single word stood out";
}

export const classifyStep: StepHandler<"classify"> = {
  waits: false,
  writes: (spec) => [{ field: spec.field, value: { kind: "computed", what: `the prediction of AI model ${spec.model}` } }],
  successors: (spec) => [
    ...(spec.next ? [{ target: spec.next, path: ["next"] }] : []),
    ...(spec.low_confidence ? [{ target: spec.low_confidence, path: ["low_confidence"] }] : []),
  ],
  check: (spec, { ck, at, object }) => {
    const f = ck.field(spec.field, [...at, "field"], object, false);
    if (f?.managed) ck.push([...at, "field"], "managed_field", `"${spec.field}" is maintained by Handoff`);
    // The model itself (that it exists, predicts this object's field and is on) is checked
    // against the workspace at publish: app/workflows/ai-model-uses.ts.
  },
  compile: (id, spec) => ({ id, spec }),
  execute: (step, { state, facts }): Decision => {
    const { spec } = step;
    const unsure = spec.low_confidence ?? spec.next;
    const p = facts.prediction;
    if (!p || p.step !== step.id)
      return { state: goTo(state.stepsTaken, unsure), commands: [], log: logOf(step, "no_prediction", "no prediction was made") };
    if (!p.ok)
      return {
        state: goTo(state.stepsTaken, unsure),
        commands: [],
        log: logOf(step, "no_prediction", `AI model "${p.model}" made no prediction: ${p.why}`),
      };
    const sure = p.confidence >= p.threshold;
    if (!sure)
      return {
        state: goTo(state.stepsTaken, unsure),
        commands: [{ type: "record_prediction", prediction: p, field: spec.field, applied: false }],
        log: logOf(
          step,
          "low_confidence",
          `${spec.field} looks like "${p.value}" but only ${percent(p.confidence)} sure (the threshold is ${percent(p.threshold)}): left unwritten; ${reasonsInWords(p)}`,
        ),
      };
    return {
      state: goTo(state.stepsTaken, spec.next),
      commands: [
        { type: "update_record", fields: { [spec.field]: p.value } },
        { type: "record_prediction", prediction: p, field: spec.field, applied: true },
      ],
      log: logOf(step, "classified", `${spec.field} = "${p.value}", ${percent(p.confidence)} sure: ${reasonsInWords(p)}`),
    };
  },
};
