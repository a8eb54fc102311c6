/**
 * Scoring's AI prediction rules, pure (issue 24; docs/scoring.md "AI prediction rules"): a rule
 * naming a conversion model gives its chance × points to a tenth; no chance, nothing; the score's
 * groups cap it like any rule; a moved chance is one ledger row that gives the new points in place
 * of the old, and the rows still sum to the score (a property over random chances); what a state
 * keeps rebuilds the same hits; a rule is a condition or a prediction, never both or neither.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ScoreModelDefinition, scoreModelSchema } from "../../src/engine/scoring/definition.js";
import { fitChanges, ledgerSteps } from "../../src/engine/scoring/ledger.js";
import {
  compileScoreModel,
  type FitHit,
  fitHits,
  hitsToStore,
  predictedPoints,
  scoreAt,
  storedHits,
} from "../../src/engine/scoring/model.js";
import { fitFacts } from "../../src/runtime/scoring/fit-facts.js";
import type { StoredRecord } from "../../src/store/ports.js";

const T0 = Date.parse("2026-03-01T00:00:00Z");

const definition: ScoreModelDefinition = scoreModelSchema.parse({
  key: "lead_score",
  name: "Lead score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [
      {
        key: "geo",
        label: "Country",
        rules: [{ key: "de", label: "Germany", when: { field: "country", op: "eq", value: "DE" }, points: 10 }],
      },
      {
        key: "ai",
        label: "AI",
        cap: 12,
        rules: [{ key: "predicted", label: "Predicted to convert", prediction: "Lead conversion", points: 20 }],
      },
    ],
  },
}) as ScoreModelDefinition;
const model = compileScoreModel(definition);
const facts = (chance: number | null | undefined, country = "DE") => ({
  record: { country },
  refs: {},
  counts: {},
  nowMs: T0,
  ...(chance === undefined
    ? {}
    : { conversions: { "Lead conversion": chance === null ? null : { chance, modelVersion: 3, reasons: ["2 meetings logged"] } } }),
});

describe("AI prediction rules in the scoring model", () => {
  it("gives the chance × points to a tenth, capped by its group; no chance gives nothing", () => {
    expect(model.predictions).toEqual(["Lead conversion"]);
    expect(fitHits(model, facts(0.4321))).toEqual([
      { groupKey: "geo", ruleKey: "de", points: 10 },
      {
        groupKey: "ai",
        ruleKey: "predicted",
        points: 8.6,
        because: { model: "Lead conversion", modelVersion: 3, chance: 0.4321, reasons: ["2 meetings logged"] },
      },
    ]);
    expect(scoreAt(model, fitHits(model, facts(0.4321)), [], T0)).toMatchObject({ fit: 18.6, total: 18.6, rounded: { total: 19 } });
    // 0.9 × 20 = 18, over the group's cap of 12.
    expect(scoreAt(model, fitHits(model, facts(0.9)), [], T0).fit).toBe(22);
    for (const none of [null, undefined]) expect(fitHits(model, facts(none, "US"))).toEqual([]);
    expect(predictedPoints(0.05, 15)).toBe(0.8);
  });

  it("writes a moved chance as one row giving the new points; the rows sum to the score for any chances", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 12 }),
        (chances) => {
          let hits: FitHit[] = [];
          let stored = 0;
          let sum = 0;
          for (const chance of chances) {
            const next = fitHits(model, facts(chance));
            const changes = fitChanges(model, hits, next);
            for (const c of changes) if (c.kind === "fit") expect(c.hit.ruleKey === "predicted" || c.hit.ruleKey === "de").toBe(true);
            const { steps, inputs, value } = ledgerSteps(model, stored, { hits, awards: [] }, changes, T0);
            sum += steps.reduce((s, r) => s + (r.after - r.before), 0);
            stored = value.total;
            hits = inputs.hits;
            expect(value.total).toBeCloseTo(scoreAt(model, next, [], T0).total, 9);
            // What a state keeps gives back the same hits.
            const kept = hitsToStore(model, hits);
            // What a state keeps gives back the same hits (their points; not what the model said then).
            expect(storedHits(model, kept.fitRules, kept.fitPoints)).toEqual(hits.map(({ because: _, ...h }) => h));
          }
          expect(sum).toBeCloseTo(stored, 9);
        },
      ),
    );
  });

  it("moves once per change of chance, not for a chance that rounds to the same tenth", () => {
    const a = fitHits(model, facts(0.501));
    expect(fitChanges(model, a, fitHits(model, facts(0.5024)))).toEqual([]);
    expect(fitChanges(model, a, fitHits(model, facts(0.6)))).toEqual([
      { kind: "fit", hit: expect.objectContaining({ groupKey: "ai", ruleKey: "predicted", points: 12 }), holds: true },
    ]);
  });

  it("takes a condition or a model's prediction in a rule, not both and not neither", () => {
    const rule = (r: Record<string, unknown>) =>
      scoreModelSchema.safeParse({
        ...definition,
        fit: { groups: [{ key: "g", label: "G", rules: [{ key: "r", label: "R", points: 5, ...r }] }] },
      });
    expect(rule({ prediction: "Lead conversion" }).success).toBe(true);
    const neither = rule({});
    expect(neither.success).toBe(false);
    expect(neither.error?.issues[0]?.path).toEqual(["fit", "groups", 0, "rules", 0, "when"]);
    const both = rule({ prediction: "Lead conversion", when: { field: "country", op: "eq", value: "DE" } });
    expect(both.error?.issues[0]?.path).toEqual(["fit", "groups", 0, "rules", 0, "prediction"]);
  });

  it("asks each named model once and keeps its chance under its name, even a name like __proto__", async () => {
    const odd = compileScoreModel(
      scoreModelSchema.parse({
        ...definition,
        fit: { groups: [{ key: "ai", label: "AI", rules: [{ key: "p", label: "P", prediction: "__proto__", points: 10 }] }] },
      }) as ScoreModelDefinition,
    );
    const asked: string[] = [];
    const conversions = {
      chance: async (_reads: unknown, _ws: string, name: string) => {
        asked.push(name);
        return { chance: 0.5, modelVersion: 1, reasons: [] };
      },
    };
    const reads = { records: { getRecords: async () => [] } } as never;
    const record = { workspaceId: "w", id: "l1", object: "lead", version: 1, data: {}, createdAt: "", updatedAt: "" } as StoredRecord;
    const facts = await fitFacts(reads, conversions, odd, record, T0);
    expect(asked).toEqual(["__proto__"]);
    expect(fitHits(odd, facts)).toMatchObject([{ groupKey: "ai", ruleKey: "p", points: 5, because: { model: "__proto__", chance: 0.5 } }]);
  });
});
