/** Logistic regression (issue 24): it learns what separates, the same way every time, and says why. */
import { describe, expect, it } from "vitest";
import { predictLogistic, sigmoid, trainLogistic } from "../../../src/engine/ai/logistic.js";

describe("logistic regression", () => {
  // Leads from a webinar converted; cold lists did not; employees weigh a little.
  const examples = [
    ...Array.from({ length: 20 }, (_, i) => ({ features: { "source=webinar": 1, employees_log: 2 + (i % 3) / 2 }, label: 1 as const })),
    ...Array.from({ length: 20 }, (_, i) => ({ features: { "source=cold_list": 1, employees_log: 2 + (i % 3) / 2 }, label: 0 as const })),
  ];
  const model = trainLogistic(examples);

  it("gives the separating feature the weight and the right side of one half", () => {
    expect(predictLogistic(model, { "source=webinar": 1, employees_log: 2 }).probability).toBeGreaterThan(0.9);
    expect(predictLogistic(model, { "source=cold_list": 1, employees_log: 2 }).probability).toBeLessThan(0.1);
    expect(model.weights["source=webinar"]).toBeGreaterThan(0);
    expect(model.weights["source=cold_list"]).toBeLessThan(0);
  });

  it("names what pushed the chance up, and only that", () => {
    const p = predictLogistic(model, { "source=webinar": 1, employees_log: 2, unknown: 5 });
    expect(p.reasons[0]?.feature).toBe("source=webinar");
    expect(p.reasons.every((r) => r.weight > 0)).toBe(true);
    expect(p.reasons.map((r) => r.feature)).not.toContain("unknown");
  });

  it("is the same model every time (no random start)", () => {
    expect(JSON.stringify(trainLogistic(examples))).toBe(JSON.stringify(model));
  });

  it("computes the sigmoid without overflow at the extremes", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(() => trainLogistic([])).toThrow(RangeError);
  });
});
