/**
 * Conditions in words (what the Automation panel says a run waits for): operators a person reads,
 * "a call activity" for a count of one kind, groups kept in parentheses, every operator worded.
 */
import { describe, expect, it } from "vitest";
import { conditionInWords } from "../../src/app/workflows/condition-words.js";
import { CONDITION_OPERATORS, type Condition } from "../../src/engine/definition.js";

describe("conditionInWords", () => {
  it("says fields, operators and values as a person would", () => {
    expect(
      conditionInWords({
        and: [
          { field: "score", op: "gt", value: 40 },
          {
            or: [
              { field: "status", op: "in", value: ["new", "working"] },
              { field: "email", op: "is_set" },
            ],
          },
        ],
      }),
    ).toBe("score > 40 and (status is one of new and working or email is set)");
    expect(conditionInWords({ not: { field: "country", op: "eq", value: "US" } })).toBe("not (country is US)");
  });

  it("counts of related records: one of a kind, at least N, none, other comparisons", () => {
    const calls = { object: "activity" as const, via: "related_id", where: { field: "type", op: "eq" as const, value: "call" } };
    expect(conditionInWords({ count: calls, op: "gte", value: 1 })).toBe("a call activity on this record");
    expect(conditionInWords({ count: calls, op: "gt", value: 0 })).toBe("a call activity on this record");
    expect(conditionInWords({ count: { ...calls, where: { field: "type", op: "eq", value: "email" } }, op: "gte", value: 1 })).toBe(
      "an email activity on this record",
    );
    expect(conditionInWords({ count: calls, op: "gte", value: 3 })).toBe("at least 3 × call activity on this record");
    expect(conditionInWords({ count: calls, op: "eq", value: 0 })).toBe("no call activity on this record");
    expect(conditionInWords({ count: { object: "task", via: "related_id", of: "company_id" }, op: "lt", value: 2 })).toBe(
      "the number of task on the record's company_id < 2",
    );
  });

  it("words every operator: no code name or underscore reaches the reader", () => {
    const codes = ["eq", "neq", "in", "nin", "gt", "gte", "lt", "lte"];
    for (const op of CONDITION_OPERATORS) {
      // is_new is about the write, not a field (validation rules only).
      if (op === "is_new") continue;
      const words = conditionInWords({ field: "f", op, value: 7 } as Condition);
      expect(words.startsWith("f "), op).toBe(true);
      expect(words.includes("_"), `${op}: ${words}`).toBe(false);
      for (const code of codes) expect(words.split(" "), `${op}: ${words}`).not.toContain(code);
    }
    expect(conditionInWords({ op: "is_new" } as Condition)).toBe("the record is new");
    expect(conditionInWords({ field: "renewal_date", op: "within_next_days", value: 90 })).toBe("renewal_date is within the next 90 days");
  });
});
