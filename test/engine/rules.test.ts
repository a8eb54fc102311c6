/**
 * Validation rules and stage gates, pure (issue 20; docs/data-quality.md): the write's facts in the
 * condition language (`is_new`, `$previous.<field>`, `changed`), a gate as "moves to one of `to`
 * while `requires` fails" (a fast-check property against a direct reading of that sentence), and
 * the publish-time checks with their paths — unknown fields with the allowed names, a gate to a
 * value not among the field's options, write facts refused in workflows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { DEAL_STAGES } from "../../src/crm/objects.js";
import { normalisePhone, phoneCountry } from "../../src/crm/phone-format.js";
import { Checker } from "../../src/engine/checker.js";
import { compileCondition, type Facts } from "../../src/engine/conditions.js";
import { brokenRules, compileRule, type GateDefinition, type RuleDefinition, ruleIssues } from "../../src/engine/rules.js";

const custom = [{ name: "budget_confirmed", type: "boolean" as const, label: "Budget confirmed", required: false, options: null }];
const fields = (o: Parameters<typeof fieldsOf>[0]) =>
  fieldsOf(o, o === "deal" ? custom.map((c) => ({ ...c, object: "deal" as const })) : []);

const gate: GateDefinition = {
  kind: "gate",
  name: "Proposal needs budget confirmation",
  description: "No proposal before the budget is known.",
  object: "deal",
  action: "refuse",
  enabled: true,
  message: "Confirm the budget before the proposal",
  field: "stage",
  to: ["proposal"],
  requires: { field: "budget_confirmed", op: "eq", value: true },
  shown_on: "budget_confirmed",
};

function factsOf(before: Record<string, unknown> | undefined, after: Record<string, unknown>): Facts {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes = [...names]
    .filter((n) => JSON.stringify(before?.[n] ?? null) !== JSON.stringify(after[n] ?? null))
    .map((n) => ({ field: n, old: before?.[n] ?? null, new: after[n] ?? null }));
  return { record: after, refs: {}, counts: {}, changes, nowMs: 0, write: { isNew: before === undefined, previous: before ?? {} } };
}

describe("the write's facts in conditions", () => {
  it("is_new holds on a create only, and never outside a write", () => {
    const c = compileCondition({ op: "is_new" });
    expect(c.test(factsOf(undefined, { stage: "proposal" }))).toBe(true);
    expect(c.test(factsOf({ stage: "proposal" }, { stage: "proposal" }))).toBe(false);
    expect(c.test({ record: {}, refs: {}, counts: {}, nowMs: 0 })).toBe(false);
  });

  it("$previous.<field> reads the value before the write (null on a create) and needs no referenced record", () => {
    const c = compileCondition({
      and: [
        { field: "$previous.stage", op: "eq", value: "closed_won" },
        { field: "stage", op: "neq", value: "closed_won" },
      ],
    });
    expect(c.needs.refs.size).toBe(0);
    expect(c.test(factsOf({ stage: "closed_won" }, { stage: "negotiation" }))).toBe(true);
    expect(c.test(factsOf({ stage: "proposal" }, { stage: "negotiation" }))).toBe(false);
    expect(compileCondition({ field: "$previous.stage", op: "is_not_set" }).test(factsOf(undefined, { stage: "proposal" }))).toBe(true);
  });
});

describe("stage gates", () => {
  const rule = compileRule("r1", 3, gate);

  it("refuses the move to proposal without budget confirmation, on the field it names, and lets the rest through", () => {
    expect(rule).toMatchObject({ id: "r1", version: 3, kind: "gate", field: "budget_confirmed", action: "refuse" });
    expect(brokenRules([rule], factsOf({ stage: "discovery" }, { stage: "proposal" }))).toEqual([rule]);
    expect(brokenRules([rule], factsOf(undefined, { stage: "proposal" }))).toEqual([rule]);
    expect(brokenRules([rule], factsOf({ stage: "discovery" }, { stage: "proposal", budget_confirmed: true }))).toEqual([]);
    // Not a move: staying at proposal, or moving elsewhere, is not the gate's business.
    expect(brokenRules([rule], factsOf({ stage: "proposal" }, { stage: "proposal", amount: 5 }))).toEqual([]);
    expect(brokenRules([rule], factsOf({ stage: "discovery" }, { stage: "negotiation" }))).toEqual([]);
  });

  it("is broken exactly when the write moves the field into `to` and `requires` fails (property)", () => {
    const stage = fc.constantFrom(...DEAL_STAGES);
    fc.assert(
      fc.property(
        fc.option(fc.record({ stage, budget_confirmed: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
        fc.record({ stage, budget_confirmed: fc.option(fc.boolean(), { nil: undefined }) }),
        fc.subarray([...DEAL_STAGES], { minLength: 1 }),
        (before, after, to) => {
          const r = compileRule("g", 1, { ...gate, to });
          const moved = after.stage !== before?.stage && to.includes(after.stage);
          const expected = moved && after.budget_confirmed !== true;
          expect(brokenRules([r], factsOf(before, after)).length === 1).toBe(expected);
        },
      ),
    );
  });
});

describe("publish-time checks of a rule", () => {
  it("accepts the seed's gate and a rule using every write fact", () => {
    expect(ruleIssues(gate, fields)).toEqual([]);
    const rule: RuleDefinition = {
      kind: "rule",
      name: "Won deals stay won",
      description: "",
      object: "deal",
      action: "warn",
      enabled: true,
      message: "Reopening a won deal needs a manager",
      field: "stage",
      when: {
        and: [
          { not: { op: "is_new" } },
          { field: "$previous.stage", op: "eq", value: "closed_won" },
          { field: "stage", op: "changed" },
          { field: "company_id.industry", op: "is_set" },
        ],
      },
    };
    expect(ruleIssues(rule, fields)).toEqual([]);
  });

  it("names the path and the allowed values: an unknown field, a gate to a value not among the options, an unknown shown_on", () => {
    const issues = ruleIssues(
      { ...gate, field: "stage", to: ["proposal", "signed"], requires: { field: "budget_ok", op: "eq", value: true }, shown_on: "nope" },
      fields,
    );
    expect(issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["to.1", "not_in_options"],
      ["requires.field", "unknown_field"],
      ["shown_on", "unknown_field"],
    ]);
    expect(issues[0]?.expected).toEqual(DEAL_STAGES);
    expect(issues[1]?.expected).toContain("budget_confirmed");
  });

  it("refuses counts and changed-ops on the previous value in rules, and write facts in workflows", () => {
    const withCount: RuleDefinition = {
      ...gate,
      requires: { count: { object: "task", via: "related_id" }, op: "gt", value: 0 },
    };
    expect(ruleIssues(withCount, fields).map((i) => i.path.join("."))).toEqual(["requires.count"]);
    const ck = new Checker(fields, "deal");
    ck.condition({ and: [{ op: "is_new" }, { field: "$previous.stage", op: "eq", value: "proposal" }] }, ["conditions"]);
    expect(ck.issues.map((i) => i.path.join("."))).toEqual(["conditions.and.0.op", "conditions.and.1.field"]);
    const rules = new Checker(fields, "deal", { writeFacts: true });
    rules.condition({ field: "$previous.stage", op: "changed" }, ["when"]);
    rules.condition({ field: "$previous.stage", op: "eq", value: "sent" }, ["when"]);
    expect(rules.issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["when.op", "not_in_options"],
      ["when.value", "not_in_options"],
    ]);
  });
});

describe("phone numbers into E.164", () => {
  it("normalises a number with its country code on its own, one without it only with a country", () => {
    expect(normalisePhone("+1 (415) 555-0123", undefined)).toEqual({ ok: true, e164: "+14155550123" });
    expect(normalisePhone("020 7946 0958", "GB")).toEqual({ ok: true, e164: "+442079460958" });
    expect(normalisePhone("020 7946 0958", undefined)).toMatchObject({ ok: false });
    expect(normalisePhone("12", "GB")).toMatchObject({ ok: false, problem: expect.stringContaining("in GB") });
    expect(phoneCountry(" gb ")).toBe("GB");
    expect(phoneCountry("Britain")).toBeUndefined();
  });
});
