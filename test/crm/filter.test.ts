/** Filters are checked against the allow-list of fields and typed before any store sees them. */
import { describe, expect, it } from "vitest";
import { neutraliseCell } from "../../src/app/csv/formula.js";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { checkFilter, operatorsFor, parseShorthand } from "../../src/crm/filter.js";
import { formatPath } from "../../src/crm/issues.js";

const deal = fieldsOf("deal", [{ object: "deal", name: "vip", type: "boolean", label: "VIP", required: false, options: null }]);

describe("filters", () => {
  it("reads the shorthand by field type", () => {
    const r = parseShorthand(["amount:gt:1000", "stage:in:proposal,negotiation", "vip:eq:true", "name:contains:a:b"], deal);
    expect(r).toEqual({
      ok: true,
      node: {
        and: [
          { field: "amount", op: "gt", value: 1000 },
          { field: "stage", op: "in", value: ["proposal", "negotiation"] },
          { field: "vip", op: "eq", value: true },
          { field: "name", op: "contains", value: "a:b" },
        ],
      },
    });
  });

  it("refuses unknown fields, unfit operators and mistyped values, with paths", () => {
    const r = checkFilter(
      {
        or: [
          { field: "shoe", op: "eq", value: 1 },
          {
            and: [
              { field: "vip", op: "gt", value: true },
              { field: "amount", op: "between", value: [1] },
              { field: "stage", op: "eq", value: "won" },
            ],
          },
        ],
      },
      deal,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${formatPath(i.path)} ${i.code}`)).toEqual([
      "filter.or[0].field unknown_field",
      "filter.or[1].and[0].op not_in_options",
      "filter.or[1].and[1].value invalid_type",
      "filter.or[1].and[2].value not_in_options",
    ]);
  });

  it("offers operators by type", () => {
    const ops = (name: string) => operatorsFor(deal.find((f) => f.name === name) as never);
    expect(ops("vip")).toEqual(["eq", "neq", "is_set", "is_not_set"]);
    expect(ops("amount")).toContain("between");
    expect(ops("amount")).not.toContain("contains");
    expect(ops("name")).toContain("starts_with");
  });

  it("caps nesting depth", () => {
    let node: never = { field: "amount", op: "gt", value: 1 } as never;
    for (let i = 0; i < 8; i++) node = { and: [node] } as never;
    expect(checkFilter(node, deal).ok).toBe(false);
  });
});

describe("CSV formula neutralisation", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+cmd", "'+cmd"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["plain = text", "plain = text"],
  ])("%j → %j", (input, out) => {
    expect(neutraliseCell(input)).toBe(out);
  });
});
