/**
 * The data-quality KPIs' pure parts (docs/kpis.md "Data quality"), with answers worked out by
 * hand: what a record lacks (required fields and a gate's demand at its stage), which side of a
 * suspected pair is the duplicate, which status rules a record breaks, the figure per day, and
 * the status rules' edge checks with their paths.
 */
import { describe, expect, it } from "vitest";
import { qualityFigure, type Verdict } from "../../src/app/kpis/data-quality.js";
import { OBJECTS } from "../../src/crm/objects.js";
import { compileCondition } from "../../src/engine/conditions.js";
import { filled, laterOf, missingRequired } from "../../src/engine/kpis/quality.js";
import { compileStatusRule, contradictions, statusRuleIssues } from "../../src/engine/status-rules.js";

const spec = {
  fields: ["last_name"],
  gates: [
    {
      name: "Closing needs a resolution",
      field: "status",
      to: ["closed"],
      shownOn: "resolution",
      requires: compileCondition({ field: "resolution", op: "is_set" }),
    },
  ],
};

describe("the data-quality KPIs' arithmetic", () => {
  it("says what a record lacks: an empty required field, and what a gate demands at the record's stage only", () => {
    expect(missingRequired(spec, { last_name: "Ng", status: "open" }, 0)).toEqual([]);
    expect(missingRequired(spec, { last_name: " ", status: "closed" }, 0)).toEqual([
      "last_name",
      "resolution (Closing needs a resolution)",
    ]);
    expect(missingRequired(spec, { last_name: "Ng", status: "closed", resolution: "replaced" }, 0)).toEqual([]);
    expect([filled(""), filled([]), filled(0), filled(false), filled(["x"])]).toEqual([false, false, true, true, true]);
  });

  it("takes the later side of a pair as the duplicate, the greater id at the same instant", () => {
    const t = "2026-12-01T10:00:00.000Z";
    expect(laterOf({ id: "a", createdAt: "2026-12-02T00:00:00.000Z" }, { id: "b", createdAt: t })).toEqual({ later: "a", earlier: "b" });
    expect(laterOf({ id: "a", createdAt: t }, { id: "b", createdAt: t })).toEqual({ later: "b", earlier: "a" });
  });

  it("finds the status rules a record breaks", () => {
    const owned = compileStatusRule("r1", {
      name: "Qualified leads have an owner",
      description: "",
      object: "lead",
      enabled: true,
      field: "status",
      values: ["qualified"],
      requires: { field: "owner_id", op: "is_set" },
    });
    expect(contradictions([owned], { status: "qualified" }, 0).map((r) => r.id)).toEqual(["r1"]);
    expect(contradictions([owned], { status: "qualified", owner_id: "u1" }, 0)).toEqual([]);
    expect(contradictions([owned], { status: "new" }, 0)).toEqual([]);
  });

  it("gives the share per creation day: 1 of 3 and 2 of 2 → 60 % over 5 (with a problem: 40 %)", () => {
    const v = (day: string, problem: string | null): Verdict => ({
      record: { id: `${day}${problem}`, createdAt: `${day}T00:00:00Z`, day, ownerId: null, data: {}, updatedAt: null, mergedAway: false },
      problem,
    });
    const vs = [v("2026-12-02", null), v("2026-12-01", "x"), v("2026-12-01", null), v("2026-12-01", "y"), v("2026-12-02", null)];
    expect(qualityFigure("status_accuracy", vs, false)).toEqual({
      value: 60,
      count: 5,
      series: [
        { day: "2026-12-01", value: 33.33, count: 3 },
        { day: "2026-12-02", value: 100, count: 2 },
      ],
    });
    expect(qualityFigure("duplicate_rate", vs, true)).toMatchObject({ value: 40, count: 5, truncated: true });
    expect(qualityFigure("required_field_completion", [], false)).toEqual({ value: null, count: 0, series: [] });
  });

  it("checks a status rule against the object's fields, each problem with its path", () => {
    const issues = statusRuleIssues(
      {
        name: "x",
        description: "",
        object: "lead",
        enabled: true,
        field: "status",
        values: ["qualified", "hot"],
        requires: {
          and: [
            { field: "$previous.owner_id", op: "is_set" },
            { field: "owner_id", op: "changed" },
            { field: "company_id.name", op: "is_set" },
          ],
        },
      },
      (o) => OBJECTS[o].fields,
    );
    expect(issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["values.1", "requires.and.0.field", "requires.and.1.op", "requires.and.2.field"]),
    );
  });
});
