import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jaro, jaroWinkler, levenshteinRatio, SIMILARITIES, SIMILARITY_KINDS } from "../../../src/crm/dedupe/similarity.js";

const word = fc.string({ maxLength: 24 });

describe("similarity", () => {
  it("every similarity is in [0, 1], symmetric, and 1 for equal strings", () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        for (const kind of SIMILARITY_KINDS) {
          const s = SIMILARITIES[kind](a, b);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
          expect(SIMILARITIES[kind](b, a)).toBeCloseTo(s, 10);
          expect(SIMILARITIES[kind](a, a)).toBe(1);
        }
      }),
    );
  });

  it("Jaro-Winkler is at least Jaro, and 0 for strings sharing no character", () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(jaroWinkler(a, b)).toBeGreaterThanOrEqual(jaro(a, b) - 1e-12);
      }),
    );
    expect(jaroWinkler("abc", "xyz")).toBe(0);
  });

  it("one edit in a word of n letters gives a Levenshtein ratio of 1 − 1/n", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom("a", "b", "c") }), fc.nat(), (s, at) => {
        const i = at % s.length;
        const changed = `${s.slice(0, i)}z${s.slice(i + 1)}`;
        expect(levenshteinRatio(s, changed)).toBeCloseTo(1 - 1 / s.length, 10);
      }),
    );
  });

  it("matches the published Jaro-Winkler figures", () => {
    expect(jaroWinkler("martha", "marhta")).toBeCloseTo(0.9611, 3);
    expect(jaroWinkler("dwayne", "duane")).toBeCloseTo(0.84, 2);
    expect(jaroWinkler("dixon", "dicksonx")).toBeCloseTo(0.8133, 3);
  });
});
