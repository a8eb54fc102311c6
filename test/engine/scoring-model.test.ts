/**
 * The pure scoring model (issue 21, "Done when" 1): caps hold, decay at any instant equals the
 * closed form, the next change instant is exact, a rescore is deterministic, and the ledger sums
 * to the score for every record. Property tests over random models, awards and instants.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OBJECTS } from "../../src/crm/objects.js";
import { scoreModelIssues } from "../../src/engine/scoring/check.js";
import { type ScoreModelDefinition, scoreModelSchema } from "../../src/engine/scoring/definition.js";
import { fitChanges, ledgerSteps, type ScoreChange, type ScoreInputs } from "../../src/engine/scoring/ledger.js";
import { type Award, compileScoreModel, DAY_MS, fitHits, nextChangeAt, scoreAt } from "../../src/engine/scoring/model.js";

const T0 = Date.parse("2025-03-01T00:00:00Z");

const points = fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true });
const cap = fc.option(fc.double({ min: 0, max: 80, noNaN: true, noDefaultInfinity: true }), { nil: undefined });
const decay = fc.oneof(
  fc.constant(undefined),
  fc.double({ min: 0.5, max: 60, noNaN: true }).map((d) => ({ half_life_days: d })),
  fc.integer({ min: 1, max: 60 }).map((d) => ({ expires_after_days: d })),
);

/** A model with 1–3 fit groups on `industry`/`country` and 1–3 engagement groups on activity types. */
const model = fc
  .record({
    fit: fc.array(
      fc.record({
        cap,
        rules: fc.array(fc.record({ value: fc.constantFrom("Software", "Retail", "DE", "US"), points }), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 0, maxLength: 3 },
    ),
    eng: fc.array(
      fc.record({
        cap,
        rules: fc.array(fc.record({ type: fc.constantFrom("call", "email", "meeting"), points }), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    decay,
    wf: fc.double({ min: 0, max: 3, noNaN: true }),
    we: fc.double({ min: 0, max: 3, noNaN: true }),
    total_cap: cap,
  })
  .map(
    (m): ScoreModelDefinition => ({
      key: "m",
      name: "M",
      object: "lead",
      fields: { total: "score" },
      fit: {
        groups: m.fit.map((g, gi) => ({
          key: `f${gi}`,
          label: `F${gi}`,
          cap: g.cap,
          rules: g.rules.map((r, ri) => ({
            key: `f${gi}r${ri}`,
            label: "r",
            when: { field: ["DE", "US"].includes(r.value) ? "country" : "industry", op: "eq", value: r.value },
            points: r.points,
          })),
        })),
      },
      engagement: {
        groups: m.eng.map((g, gi) => ({
          key: `e${gi}`,
          label: `E${gi}`,
          cap: g.cap,
          rules: g.rules.map((r, ri) => ({ key: `e${gi}r${ri}`, label: "r", on: { activity: [r.type] }, points: r.points })),
        })),
        decay: m.decay,
      },
      weights: { fit: m.wf, engagement: m.we },
      total_cap: m.total_cap,
    }),
  );

const events = fc.array(
  fc.record({ type: fc.constantFrom("call", "email", "meeting"), atDays: fc.double({ min: 0, max: 30, noNaN: true }) }),
  { maxLength: 12 },
);
const record = fc.record({ industry: fc.constantFrom("Software", "Retail", null), country: fc.constantFrom("DE", "US", null) });

const facts = (r: Record<string, unknown>) => ({ record: r, refs: {}, counts: {}, nowMs: T0 });

function awardsOf(def: ScoreModelDefinition, evs: Array<{ type: string; atDays: number }>): Award[] {
  const m = compileScoreModel(def);
  return evs
    .map((e) => ({ ...e, at: Math.round(T0 + e.atDays * DAY_MS) }))
    .sort((a, b) => a.at - b.at)
    .flatMap((e) =>
      m.engagementRules
        .filter((r) => "activity" in r.on && r.on.activity.includes(e.type))
        .map((r) => ({ groupKey: r.groupKey, ruleKey: r.ruleKey, points: r.points, awardedAtMs: e.at })),
    );
}

/** The closed form written out again, independently of scoreAt's loops. */
function closedForm(def: ScoreModelDefinition, awards: Award[], hitsTotal: number, t: number) {
  const d = def.engagement?.decay;
  const worth = (a: Award) => {
    if (t < a.awardedAtMs) return 0;
    if (!d) return a.points;
    if ("half_life_days" in d) return a.points * 0.5 ** ((t - a.awardedAtMs) / (d.half_life_days * DAY_MS));
    return t - a.awardedAtMs < d.expires_after_days * DAY_MS ? a.points : 0;
  };
  let eng = 0;
  for (const g of def.engagement?.groups ?? []) {
    const sum = awards.filter((a) => a.groupKey === g.key).reduce((s, a) => s + worth(a), 0);
    eng += g.cap === undefined ? sum : Math.min(g.cap, sum);
  }
  const total = def.weights.fit * hitsTotal + def.weights.engagement * eng;
  return { eng, total: def.total_cap === undefined ? total : Math.min(def.total_cap, total) };
}

describe("scoring model", () => {
  it("caps hold: every group at most its cap, the total at most the total cap, at every instant", () => {
    fc.assert(
      fc.property(model, events, record, fc.double({ min: 0, max: 90, noNaN: true }), (def, evs, r, atDays) => {
        const m = compileScoreModel(def);
        const v = scoreAt(m, fitHits(m, facts(r)), awardsOf(def, evs), T0 + atDays * DAY_MS);
        for (const g of v.groups) if (g.cap !== null) expect(g.value).toBeLessThanOrEqual(g.cap + 1e-9);
        if (def.total_cap !== undefined) expect(v.total).toBeLessThanOrEqual(def.total_cap + 1e-9);
        expect(v.rounded.total).toBe(Math.round(v.total));
      }),
    );
  });

  it("decay at any instant equals the closed form", () => {
    fc.assert(
      fc.property(model, events, record, fc.double({ min: 0, max: 120, noNaN: true }), (def, evs, r, atDays) => {
        const m = compileScoreModel(def);
        const hits = fitHits(m, facts(r));
        const awards = awardsOf(def, evs);
        const t = T0 + atDays * DAY_MS;
        const v = scoreAt(m, hits, awards, t);
        const c = closedForm(def, awards, v.fit, t);
        expect(v.engagement).toBeCloseTo(c.eng, 9);
        expect(v.total).toBeCloseTo(c.total, 9);
      }),
    );
  });

  it("the next change instant is exact: the rounded values hold until it and differ at it", () => {
    fc.assert(
      fc.property(
        model,
        events,
        record,
        fc.double({ min: 30, max: 60, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (def, evs, r, atDays, frac) => {
          const m = compileScoreModel(def);
          const hits = fitHits(m, facts(r));
          const awards = awardsOf(def, evs);
          const t = Math.round(T0 + atDays * DAY_MS);
          const now = scoreAt(m, hits, awards, t).rounded;
          const next = nextChangeAt(m, hits, awards, t);
          const key = (at: number) => {
            const v = scoreAt(m, hits, awards, at).rounded;
            return `${v.engagement}/${v.total}`;
          };
          if (next === null) {
            // Never changes again: the far future (everything decayed or expired) rounds the same.
            expect(key(t + 10_000 * DAY_MS)).toBe(`${now.engagement}/${now.total}`);
            return;
          }
          expect(next).toBeGreaterThan(t);
          expect(key(next)).not.toBe(`${now.engagement}/${now.total}`);
          // Just before it, and anywhere between, nothing changed yet.
          expect(key(next - 1)).toBe(`${now.engagement}/${now.total}`);
          expect(key(Math.floor(t + (next - 1 - t) * frac))).toBe(`${now.engagement}/${now.total}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a rescore is deterministic: the same record and events give the same score, whatever order the awards come in", () => {
    fc.assert(
      fc.property(model, events, record, (def, evs, r) => {
        const m1 = compileScoreModel(def);
        const m2 = compileScoreModel(structuredClone(def));
        const a = awardsOf(def, evs);
        const t = T0 + 40 * DAY_MS;
        const one = scoreAt(m1, fitHits(m1, facts(r)), a, t);
        const two = scoreAt(m2, fitHits(m2, facts({ ...r })), [...a].reverse(), t);
        expect(two.rounded).toEqual(one.rounded);
        expect(two.total).toBeCloseTo(one.total, 9);
      }),
    );
  });

  it("the ledger sums to the score for every record: events, field changes and decay rows telescope", () => {
    fc.assert(
      fc.property(
        model,
        fc.array(
          fc.oneof(
            events.map((e) => ({ kind: "events" as const, e })),
            record.map((r) => ({ kind: "record" as const, r })),
          ),
          { maxLength: 8 },
        ),
        (def, steps) => {
          const m = compileScoreModel(def);
          let inputs: ScoreInputs = { hits: [], awards: [] };
          let stored = 0;
          let sum = 0;
          let t = T0;
          for (const s of steps) {
            // Some changes a few milliseconds apart (a drift carried by the next row), some days apart (a decay row).
            t += s.kind === "record" ? 7 : DAY_MS / 3;
            const changes: ScoreChange[] =
              s.kind === "record"
                ? fitChanges(m, inputs.hits, fitHits(m, facts(s.r)))
                : awardsOf(
                    def,
                    s.e.map((e) => ({ ...e, atDays: (t - T0) / DAY_MS })),
                  ).map((award) => ({ kind: "engagement" as const, award }));
            const out = ledgerSteps(m, stored, inputs, changes, t);
            for (const row of out.steps) sum += row.after - row.before;
            inputs = out.inputs;
            stored = out.value.total;
            expect(sum).toBeCloseTo(stored, 6);
            expect(out.value.total).toBeCloseTo(scoreAt(m, inputs.hits, inputs.awards, t).total, 9);
          }
        },
      ),
    );
  });
});

describe("model checks name the path", () => {
  const fieldsOf = (o: keyof typeof OBJECTS) => OBJECTS[o].fields;
  const base = {
    key: "lead_score",
    name: "Lead score",
    object: "lead",
    fields: { total: "score" },
    fit: {
      groups: [
        {
          key: "firm",
          label: "Company",
          cap: 40,
          rules: [{ key: "sw", label: "Software", when: { field: "company_id.industry", op: "eq", value: "Software" }, points: 20 }],
        },
      ],
    },
    engagement: {
      groups: [
        { key: "email", label: "Email", cap: 30, rules: [{ key: "opened", label: "Opened", on: { activity: ["email"] }, points: 5 }] },
      ],
      decay: { half_life_days: 14 },
    },
  };
  const problems = (input: unknown) => {
    const parsed = scoreModelSchema.safeParse(input);
    if (!parsed.success) return parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return scoreModelIssues(parsed.data as ScoreModelDefinition, fieldsOf).map((i) => ({ path: i.path.join("."), message: i.message }));
  };
  it("accepts the design's example", () => {
    expect(problems(base)).toEqual([]);
  });
  it.each([
    ["points that are not numbers", (d: any) => (d.fit.groups[0].rules[0].points = "20"), "fit.groups.0.rules.0.points"],
    ["a cap below zero", (d: any) => (d.engagement.groups[0].cap = -1), "engagement.groups.0.cap"],
    ["a decay of zero days", (d: any) => (d.engagement.decay = { half_life_days: 0 }), "engagement.decay.half_life_days"],
    [
      "a rule on an unknown field",
      (d: any) => (d.fit.groups[0].rules[0].when.field = "company_id.industy"),
      "fit.groups.0.rules.0.when.field",
    ],
    [
      "an unknown activity type",
      (d: any) => (d.engagement.groups[0].rules[0].on.activity = ["fax"]),
      "engagement.groups.0.rules.0.on.activity.0",
    ],
    ["an output field that is not a number", (d: any) => (d.fields.total = "email"), "fields.total"],
    [
      "a rule reading its own score",
      (d: any) => (d.fit.groups[0].rules[0].when = { field: "score", op: "gt", value: 3 }),
      "fit.groups.0.rules.0.when.field",
    ],
  ])("refuses %s", (_what, mutate, path) => {
    const d = structuredClone(base);
    mutate(d);
    expect(problems(d).map((p) => p.path)).toContain(path);
  });
});

describe("what fit reads", () => {
  it("names the fields read through each reference, so a referenced record's change finds the models it moves", () => {
    const m = compileScoreModel(
      scoreModelSchema.parse({
        key: "k",
        name: "K",
        object: "lead",
        fields: { total: "score" },
        fit: {
          groups: [
            {
              key: "g",
              label: "G",
              rules: [
                { key: "a", label: "A", when: { field: "company_id.industry", op: "eq", value: "Software" }, points: 1 },
                {
                  key: "b",
                  label: "B",
                  when: {
                    and: [
                      { field: "company_id.employee_count", op: "gt", value: 10 },
                      { field: "country", op: "eq", value: "DE" },
                    ],
                  },
                  points: 1,
                },
              ],
            },
          ],
        },
      }) as ScoreModelDefinition,
    );
    expect([...m.fitReads].sort()).toEqual(["company_id", "country"]);
    expect([...m.fitRefReads.keys()]).toEqual(["company_id"]);
    expect([...(m.fitRefReads.get("company_id") ?? [])].sort()).toEqual(["employee_count", "industry"]);
  });
});
