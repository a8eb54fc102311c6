/**
 * Limits on the workflow format (src/engine/limits.ts), checked on the raw JSON before Zod's
 * recursive parse: each refusal names the limit and the path, and nothing overflows the stack
 * however deep a definition is nested. And a "__proto__" key — which Zod's records drop — is
 * refused like any other unknown key.
 */
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { DEFINITION_LIMITS } from "../../src/engine/limits.js";
import { parseWorkflow, validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const L = DEFINITION_LIMITS;
const LEAF = { field: "score", op: "gt", value: 1 };

/** `levels` conditions nested in each other: `wrap` turns a condition into the one around it. */
function nested(levels: number, wrap: (c: unknown) => unknown = (c) => ({ not: c })): unknown {
  let c: unknown = LEAF;
  for (let i = 1; i < levels; i++) c = wrap(c);
  return c;
}

function lead(extra: Record<string, unknown> = {}, steps: Record<string, unknown> = { a: { type: "end" } }) {
  return { key: "limits", name: "Limits", object: "lead", trigger: { type: "manual" }, start: "a", steps, ...extra };
}

const issuesOf = (def: unknown) => {
  const v = validateWorkflow(def, fields);
  return v.ok ? [] : v.issues;
};
const brief = (def: unknown) => issuesOf(def).map((i) => `${i.path.join(".")}: ${i.code}`);

describe(`conditions are nested at most ${L.conditionDepth} levels`, () => {
  it(`${L.conditionDepth} levels are published, ${L.conditionDepth + 1} refused at the level that is too deep`, () => {
    expect(issuesOf(lead({ conditions: nested(L.conditionDepth) }))).toEqual([]);
    const issues = issuesOf(lead({ conditions: nested(L.conditionDepth + 1) }));
    expect(issues).toEqual([
      {
        path: ["conditions", ...Array.from({ length: L.conditionDepth }, () => "not")],
        code: "too_big",
        message: `conditions are nested at most ${L.conditionDepth} levels deep; this one goes deeper`,
      },
    ]);
  });

  it.each([1_000, 10_000, 200_000])("%i levels are refused without overflowing the stack", (levels) => {
    const def = lead({ conditions: nested(levels) });
    expect(brief(def)).toEqual([`conditions${".not".repeat(L.conditionDepth)}: too_big`]);
    expect(parseWorkflow(def).ok).toBe(false);
  });

  it("and, or and a count's where each count as a level", () => {
    // The leaf beside the innermost condition is as deep as it: both are refused, in document order.
    const and = nested(L.conditionDepth + 1, (c) => ({ and: [LEAF, c] }));
    const andPath = `conditions${".and.1".repeat(L.conditionDepth - 1)}.and`;
    expect(brief(lead({ conditions: and }))).toEqual([`${andPath}.0: too_big`, `${andPath}.1: too_big`]);
    const or = nested(L.conditionDepth + 1, (c) => ({ or: [c] }));
    expect(brief(lead({ goal: or }))).toEqual([`goal${".or.0".repeat(L.conditionDepth)}: too_big`]);
    const count = nested(L.conditionDepth + 1, (c) => ({ count: { object: "task", via: "related_id", where: c }, op: "gt", value: 0 }));
    expect(brief(lead({ conditions: count }))).toEqual([`conditions${".count.where".repeat(L.conditionDepth)}: too_big`]);
  });

  it("wherever a condition stands: trigger filter, branch rules, wait_for condition and event", () => {
    const deep = nested(L.conditionDepth + 1);
    const tooDeep = `${".not".repeat(L.conditionDepth)}: too_big`;
    expect(brief(lead({ trigger: { type: "record_created", filter: deep } }))).toEqual([`trigger.filter${tooDeep}`]);
    const steps = {
      a: {
        type: "branch",
        rules: [
          { when: LEAF, next: "b" },
          { when: deep, next: "b" },
        ],
        else: "b",
      },
      b: { type: "wait_for", condition: deep, timeout: { days: 1 }, on_timeout: "c" },
      c: { type: "wait_for", event: { object: "task", link: "related_id", where: deep }, timeout: { days: 1 }, on_timeout: "d" },
      d: { type: "end" },
    };
    expect(brief(lead({}, steps))).toEqual([
      `steps.a.rules.1.when${tooDeep}`,
      `steps.b.condition${tooDeep}`,
      `steps.c.event.where${tooDeep}`,
    ]);
  });
});

describe("other limits", () => {
  it(`any value is nested at most ${L.jsonDepth} levels (an http_request body, a field value)`, () => {
    let body: unknown = "x";
    for (let i = 0; i < 100_000; i++) body = [body];
    const steps = { a: { type: "action", action: { type: "http_request", connector: "crm", body } } };
    const issues = issuesOf(lead({}, steps));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "too_big", message: expect.stringContaining(`at most ${L.jsonDepth} levels deep`) });
    expect(issues[0]?.path.slice(0, 5)).toEqual(["steps", "a", "action", "body", 0]);
    expect(issues[0]?.path).toHaveLength(L.jsonDepth);
  });

  it(`a workflow has at most ${L.steps} steps`, () => {
    const chain = (n: number) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `s${i}`,
          i === n - 1 ? { type: "end" } : { type: "action", action: { type: "change_score", by: 1 }, next: `s${i + 1}` },
        ]),
      );
    expect(issuesOf({ ...lead({}, chain(L.steps)), start: "s0" })).toEqual([]);
    expect(issuesOf({ ...lead({}, chain(L.steps + 1)), start: "s0" })).toEqual([
      { path: ["steps"], code: "too_big", message: `a workflow has at most ${L.steps} steps; this one has ${L.steps + 1}` },
    ]);
  });

  it(`a definition has at most ${L.definitionChars} characters of JSON`, () => {
    const body = Array.from({ length: 60 }, () => "x".repeat(9_000));
    const issues = issuesOf(lead({}, { a: { type: "action", action: { type: "http_request", connector: "crm", body } } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: [], code: "too_big" });
    expect(issues[0]?.message).toContain(`at most ${L.definitionChars} characters`);
  });

  it("a draft is held to the limits too (parseWorkflow is what saving checks)", () => {
    const v = parseWorkflow(lead({ conditions: nested(10_000) }));
    expect(v.ok ? [] : v.issues.map((i) => i.code)).toEqual(["too_big"]);
  });
});

describe('"__proto__" as a key', () => {
  // JSON.parse makes "__proto__" an own property, as it arrives over HTTP or from a file.
  const parsed = (fieldsJson: string, action = "update_fields") =>
    JSON.parse(
      `{"key":"proto","name":"Proto","object":"lead","trigger":{"type":"manual"},"start":"a",` +
        `"steps":{"a":{"type":"action","action":{"type":"${action}",${action === "create_record" ? `"object":"task",` : ""}${fieldsJson}}}}}`,
    );

  it("in update_fields is refused at its path, like any unknown field", () => {
    const def = parsed(`"fields":{"title":"x","__proto__":{"owner_id":"u1"}}`);
    expect(Object.keys(def.steps.a.action.fields)).toEqual(["title", "__proto__"]);
    expect(issuesOf(def)).toEqual([
      {
        path: ["steps", "a", "action", "fields", "__proto__"],
        code: "unknown_field",
        message: '"__proto__" is not a field name or a key of the workflow format',
      },
    ]);
  });

  it("in create_record's fields and copy, and anywhere else in a definition", () => {
    expect(brief(parsed(`"fields":{"__proto__":"x","subject":"s"}`, "create_record"))).toEqual([
      "steps.a.action.fields.__proto__: unknown_field",
    ]);
    expect(brief(parsed(`"fields":{"subject":"s"},"copy":{"__proto__":"first_name"}`, "create_record"))).toEqual([
      "steps.a.action.copy.__proto__: unknown_field",
    ]);
    const top = JSON.parse(
      '{"__proto__":{"key":"x"},"key":"p","name":"P","object":"lead","trigger":{"type":"manual"},"start":"a","steps":{"a":{"type":"end"}}}',
    );
    expect(brief(top)).toEqual(["__proto__: unknown_field"]);
  });
});
