/**
 * The classify step, pure (issue 24; docs/ai.md "The classify step"): with the runtime's
 * prediction in the facts, a sure one writes the field and goes on; an unsure one writes nothing,
 * is kept as unapplied and takes the low-confidence path (or next without one); no prediction —
 * the model off, or one made for another step — takes the unsure path saying why. Publish checks
 * the field, and the step declares the field it writes.
 */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import type { Facts, PredictionFact } from "../../src/engine/conditions.js";
import { decide } from "../../src/engine/decide.js";
import { running } from "../../src/engine/run-state.js";
import { stepHandler } from "../../src/engine/steps/registry.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const NOW = Date.parse("2026-12-07T09:00:00Z");

const def = (step: Record<string, unknown> = {}) => ({
  key: "triage",
  name: "Triage",
  object: "ticket",
  trigger: { type: "record_created" },
  start: "classify",
  steps: {
    classify: { type: "classify", model: "Ticket category", field: "category", next: "route", low_confidence: "triage", ...step },
    route: { type: "end" },
    triage: { type: "end" },
  },
});

function compiled(step: Record<string, unknown> = {}) {
  const v = validateWorkflow(def(step), fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return compileWorkflow(v.definition);
}

const made = (confidence: number, extra: Partial<PredictionFact> = {}): PredictionFact =>
  ({
    ok: true,
    step: "classify",
    model: "Ticket category",
    modelId: "m1",
    modelVersion: 3,
    value: "billing",
    confidence,
    threshold: 0.7,
    reasons: [
      { feature: "subject:refund", weight: 2.1, text: '"refund" in the subject' },
      { feature: "description:invoice", weight: 1.4, text: '"invoice" in the description' },
    ],
    ...extra,
  }) as PredictionFact;

const facts = (prediction?: PredictionFact): Facts => ({
  record: { id: "t1", subject: "Refund" },
  refs: {},
  counts: {},
  nowMs: NOW,
  prediction,
});
const step = (w: ReturnType<typeof compiled>, f: Facts) =>
  decide(w, running("classify", 1), { kind: "continue" }, f, { runId: "r1", seq: 2, nowMs: NOW, timeZone: "UTC" });

describe("the classify step", () => {
  const w = compiled();

  it("writes a sure prediction and goes on, keeping it applied with its reasons", () => {
    const p = made(0.91);
    const d = step(w, facts(p));
    expect(d.state).toMatchObject({ status: "running", step: "route" });
    expect(d.commands).toEqual([
      { type: "update_record", fields: { category: "billing" } },
      { type: "record_prediction", prediction: p, field: "category", applied: true },
    ]);
    expect(d.log).toEqual({
      step: "classify",
      type: "classify",
      outcome: "classified",
      why: 'category = "billing", 91 % sure: "refund" in the subject, "invoice" in the description',
    });
  });

  it("at exactly the threshold is sure; just under it is not, and nothing is written", () => {
    expect(step(w, facts(made(0.7))).log?.outcome).toBe("classified");
    const d = step(w, facts(made(0.69)));
    expect(d.state).toMatchObject({ status: "running", step: "triage" });
    expect(d.commands).toEqual([{ type: "record_prediction", prediction: made(0.69), field: "category", applied: false }]);
    expect(d.log?.why).toBe(
      'category looks like "billing" but only 69 % sure (the threshold is 70 %): left unwritten; "refund" in the subject, "invoice" in the description',
    );
  });

  it("without a low-confidence path, an unsure prediction goes on to next, unwritten", () => {
    const v = validateWorkflow(
      {
        ...def({ low_confidence: undefined }),
        steps: { classify: { type: "classify", model: "Ticket category", field: "category", next: "route" }, route: { type: "end" } },
      },
      fields,
    );
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const d = step(compileWorkflow(v.definition), facts(made(0.2)));
    expect(d.state).toMatchObject({ step: "route" });
    expect(d.commands.map((c) => c.type)).toEqual(["record_prediction"]);
  });

  it("with no prediction — the model off, or one made for another step — takes the unsure path saying why", () => {
    const off = step(w, facts({ ok: false, step: "classify", model: "Ticket category", why: "it is turned off" }));
    expect(off.state).toMatchObject({ step: "triage" });
    expect(off.commands).toEqual([]);
    expect(off.log).toMatchObject({ outcome: "no_prediction", why: 'AI model "Ticket category" made no prediction: it is turned off' });
    const other = step(w, facts(made(0.99, { step: "elsewhere" })));
    expect(other.commands).toEqual([]);
    expect(other.log).toMatchObject({ outcome: "no_prediction", why: "no prediction was made" });
    expect(step(w, facts()).state).toMatchObject({ step: "triage" });
  });

  it("is checked at publish: a field the object lacks, or one Handoff keeps, is refused by path", () => {
    const unknown = validateWorkflow(def({ field: "mood" }), fields);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.issues[0]).toMatchObject({ path: ["steps", "classify", "field"] });
    const managed = validateWorkflow(def({ field: "last_activity_at" }), fields);
    expect(managed.ok).toBe(false);
    if (!managed.ok) expect(managed.issues[0]).toMatchObject({ path: ["steps", "classify", "field"], code: "managed_field" });
    const dangling = validateWorkflow(def({ low_confidence: "nowhere" }), fields);
    expect(dangling.ok).toBe(false);
    const bare = validateWorkflow(def({ model: "" }), fields);
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.issues[0]?.path).toEqual(["steps", "classify", "model"]);
  });

  it("declares the field it writes, so that publish finds two workflows writing it", () => {
    const spec = def().steps.classify as never;
    expect(stepHandler(spec).writes(spec)).toEqual([
      { field: "category", value: { kind: "computed", what: "the prediction of AI model Ticket category" } },
    ]);
  });
});
