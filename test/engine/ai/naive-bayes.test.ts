/** Naive Bayes (issue 24): a prediction worked out by hand, and its reasons. */
import { describe, expect, it } from "vitest";
import { predictNaiveBayes, softmax, trainNaiveBayes } from "../../../src/engine/ai/naive-bayes.js";

describe("multinomial naive Bayes", () => {
  // Vocabulary {a, b, c, d}; class x saw a, b, a, c (4 tokens), class y saw d (1 token); alpha 1.
  const model = trainNaiveBayes([
    { features: ["a", "b"], label: "x" },
    { features: ["a", "c"], label: "x" },
    { features: ["d"], label: "y" },
  ]);

  it("learns priors and smoothed likelihoods as counted by hand", () => {
    expect(model.classes).toEqual(["x", "y"]);
    expect(model.support).toEqual([2, 1]);
    expect(model.logPriors[0]).toBeCloseTo(Math.log(2 / 3), 12);
    // P(a|x) = (2+1)/(4+4), P(a|y) = (0+1)/(1+4)
    expect(model.likelihoods.a?.[0]).toBeCloseTo(Math.log(3 / 8), 12);
    expect(model.likelihoods.a?.[1]).toBeCloseTo(Math.log(1 / 5), 12);
  });

  it("predicts x for [a] with probability 0.25 / (0.25 + 1/15), and names a as the reason", () => {
    // x: 2/3 × 3/8 = 0.25; y: 1/3 × 1/5 = 1/15.
    const p = predictNaiveBayes(model, ["a"]);
    expect(p.label).toBe("x");
    expect(p.confidence).toBeCloseTo(0.25 / (0.25 + 1 / 15), 10);
    expect(p.probabilities.y).toBeCloseTo(1 / 15 / (0.25 + 1 / 15), 10);
    expect(p.reasons).toEqual([{ feature: "a", weight: Math.round(Math.log(15 / 8) * 10_000) / 10_000 }]);
  });

  it("ignores features never seen in training, and counts a repeated one twice", () => {
    expect(predictNaiveBayes(model, ["a", "zzz"]).confidence).toBeCloseTo(predictNaiveBayes(model, ["a"]).confidence, 12);
    expect(predictNaiveBayes(model, ["d", "d"]).confidence).toBeGreaterThan(predictNaiveBayes(model, ["d"]).confidence);
    // Nothing known: the priors decide, and there is no reason to give.
    const prior = predictNaiveBayes(model, ["zzz"]);
    expect(prior).toMatchObject({ label: "x", reasons: [] });
    expect(prior.confidence).toBeCloseTo(2 / 3, 12);
  });

  it("is the same model whatever the order of its examples", () => {
    const a = trainNaiveBayes([
      { features: ["q", "r"], label: "m" },
      { features: ["s"], label: "n" },
    ]);
    const b = trainNaiveBayes([
      { features: ["s"], label: "n" },
      { features: ["r", "q"], label: "m" },
    ]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("refuses to train on nothing, and keeps tiny probabilities apart (softmax of very negative scores)", () => {
    expect(() => trainNaiveBayes([])).toThrow(RangeError);
    const p = softmax([-5000, -5001]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});
