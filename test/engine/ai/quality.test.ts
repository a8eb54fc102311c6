/** A model's quality (issue 24): the figures of a confusion worked out by hand, the held-out draw, the label gate. */
import { describe, expect, it } from "vitest";
import { isHeldOut, labelShortfalls, majorityLabel, measureQuality } from "../../../src/engine/ai/quality.js";

describe("model quality", () => {
  it("computes accuracy, baseline, precision, recall and the confusion matrix as counted by hand", () => {
    // 6 held out: a a a b b c, predicted a a b b a c.
    const pairs = [
      { actual: "a", predicted: "a" },
      { actual: "a", predicted: "a" },
      { actual: "a", predicted: "b" },
      { actual: "b", predicted: "b" },
      { actual: "b", predicted: "a" },
      { actual: "c", predicted: "c" },
    ];
    const q = measureQuality(pairs, ["a", "b", "c", "d"], "a");
    expect(q.heldOut).toBe(6);
    expect(q.accuracy).toBeCloseTo(4 / 6, 12);
    expect(q.baseline).toBeCloseTo(3 / 6, 12);
    expect(q.confusion).toEqual({
      labels: ["a", "b", "c", "d"],
      counts: [
        [2, 1, 0, 0],
        [1, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 0],
      ],
    });
    expect(q.classes).toEqual([
      { label: "a", precision: 2 / 3, recall: 2 / 3, support: 3 },
      { label: "b", precision: 1 / 2, recall: 1 / 2, support: 2 },
      { label: "c", precision: 1, recall: 1, support: 1 },
      { label: "d", precision: null, recall: null, support: 0 },
    ]);
  });

  it("holds out about one in five records by id, the same ones every time", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `rec_${i}`);
    const held = ids.filter((id) => isHeldOut(id));
    expect(held.length / ids.length).toBeGreaterThan(0.17);
    expect(held.length / ids.length).toBeLessThan(0.23);
    expect(ids.filter((id) => isHeldOut(id))).toEqual(held);
  });

  it("names the most common label, ties to the first in order", () => {
    expect(majorityLabel(["b", "a", "b", "a", "c"])).toBe("a");
    expect(majorityLabel(["c", "b", "b"])).toBe("b");
    expect(() => majorityLabel([])).toThrow(RangeError);
  });

  it("gates on 50 labels per class and says how many more each needs", () => {
    expect(
      labelShortfalls(
        new Map([
          ["billing", 80],
          ["bug", 50],
        ]),
      ),
    ).toEqual({ ready: true, shortfalls: [] });
    expect(
      labelShortfalls(
        new Map([
          ["billing", 80],
          ["outage", 12],
        ]),
      ),
    ).toEqual({ ready: false, shortfalls: [{ label: "outage", have: 12, more: 38 }] });
    // One label only: nothing to tell apart.
    expect(labelShortfalls(new Map([["billing", 500]])).ready).toBe(false);
  });
});
