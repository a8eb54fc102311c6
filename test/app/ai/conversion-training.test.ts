/**
 * A conversion model's features and training, pure (issue 24; docs/ai.md "Conversion models"):
 * values as `field=value`, numbers on a log scale, activity counts as log2(1 + n); open records are
 * not learned from; the gate wants 120 converted and 50 lost; the held-out figures beat always
 * answering "lost" on records whose outcome follows their meetings; reasons read as words.
 */
import { describe, expect, it } from "vitest";
import { CONVERSION_GATE, type Labelled, trainConversion } from "../../../src/app/ai/ai-training.js";
import { conversionFeatures } from "../../../src/app/ai/conversion-features.js";
import { predictRecord } from "../../../src/app/ai/prediction.js";

const SPEC = {
  target: "status",
  converted: ["converted"],
  lost: ["unqualified"],
  text_fields: [],
  value_fields: ["source", "employee_count"],
  activity_types: ["meeting", "call"] as Array<"meeting" | "call">,
  threshold: 0.5,
};
const step = async () => {};

/** Leads whose outcome follows their meetings and source, one in eight the other way. */
function leads(converted: number, lost: number, open = 0): Labelled[] {
  const out: Labelled[] = [];
  const add = (status: string, i: number, won: boolean) => {
    const odd = i % 8 === 0;
    const warm = won !== odd;
    out.push({
      id: `lead-${out.length}`,
      data: { status, source: warm ? "referral" : "outbound", employee_count: warm ? 300 : 8 },
      activities: { meeting: warm ? 2 : 0, call: 1 + (i % 3) },
    });
  };
  for (let i = 0; i < converted; i++) add("converted", i, true);
  for (let i = 0; i < lost; i++) add("unqualified", i, false);
  for (let i = 0; i < open; i++) add("working", i, true);
  return out;
}

describe("conversion models", () => {
  it("reads values, numbers on a log scale and activity counts", () => {
    expect(conversionFeatures({ source: "Referral", employee_count: 999, title: "CEO" }, SPEC, { meeting: 3, note: 4 })).toEqual({
      "source=referral": 1,
      employee_count: 3,
      "activities:meeting": 2,
    });
    expect(conversionFeatures({}, SPEC, {})).toEqual({});
  });

  it("holds a model with fewer than 120 conversions back, naming how many more it needs", async () => {
    const outcome = await trainConversion(leads(100, 60, 30), SPEC, "2026-12-07T00:00:00Z", step);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.trained).toMatchObject({ records: 160, label_counts: { converted: 100, lost: 60 }, ready: false });
    expect(outcome.trained.shortfalls).toEqual([{ label: "converted", have: 100, more: CONVERSION_GATE.converted - 100 }]);
  });

  it("beats always answering the commoner outcome once past the gate, and says why", async () => {
    const outcome = await trainConversion(leads(130, 200), SPEC, "2026-12-07T00:00:00Z", step);
    if (!outcome.ok) throw new Error(outcome.reason);
    const t = outcome.trained;
    expect(t.ready).toBe(true);
    expect(t.quality.baselineLabel).toBe("lost");
    expect(t.quality.accuracy).toBeGreaterThan(t.quality.baseline + 0.2);
    const warm = predictRecord(t.params, SPEC, { source: "referral", employee_count: 300 }, { meeting: 2, call: 1 });
    expect(warm.value).toBe("converted");
    expect(warm.probabilities.converted).toBeGreaterThan(0.8);
    expect(warm.reasons.map((r) => r.text)).toEqual(expect.arrayContaining(["2 meetings logged", "source = referral"]));
    const cold = predictRecord(t.params, SPEC, { source: "outbound", employee_count: 8 }, {});
    expect(cold).toMatchObject({ value: "lost" });
    expect(cold.confidence).toBeCloseTo(1 - (cold.probabilities.converted ?? 0), 4);
  });

  it("refuses to learn without both outcomes", async () => {
    expect(await trainConversion(leads(0, 80, 10), SPEC, "t", step)).toEqual({
      ok: false,
      reason: "no record's status is converted: nothing converted to learn from",
    });
    expect(await trainConversion(leads(80, 0), SPEC, "t", step)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("nothing lost"),
    });
  });
});
