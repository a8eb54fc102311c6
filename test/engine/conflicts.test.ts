/**
 * Conflict detection at publish (issue 19, item 4; docs/testing-workflows.md "Conflicts"): write
 * conflicts between two workflows, trigger cycles, and the conservative satisfiability check
 * under both — table tests for what it must tell apart, a property for what it must never claim.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCondition } from "../../src/engine/conditions.js";
import { findConflicts } from "../../src/engine/conflicts/find.js";
import { satisfiable } from "../../src/engine/conflicts/satisfiable.js";
import { type Condition, workflowSchema } from "../../src/engine/definition.js";

/** A definition from loose JSON, as an admin writes it (parsed: defaults filled in). */
const wf = (w: { key: string; [k: string]: unknown }) =>
  workflowSchema.parse({ name: w.key.toUpperCase(), object: "lead", start: "s", ...w });
const set = (fields: Record<string, unknown>) => ({ s: { type: "action", action: { type: "update_fields", fields } } });

describe("write conflicts", () => {
  it("finds two workflows setting status to different values on overlapping conditions", () => {
    const a = wf({
      key: "qualify",
      name: "Qualify hot leads",
      trigger: { type: "record_created" },
      conditions: { field: "score", op: "gt", value: 50 },
      steps: set({ status: "qualified" }),
    });
    const b = wf({
      key: "nurture",
      name: "Nurture big companies",
      trigger: { type: "record_created" },
      conditions: { field: "employee_count", op: "gte", value: 100 },
      steps: set({ status: "nurturing" }),
    });
    const [w, ...rest] = findConflicts([a, b], "nurture");
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      kind: "write_conflict",
      object: "lead",
      fields: ["status"],
      workflows: [
        { key: "nurture", name: "Nurture big companies" },
        { key: "qualify", name: "Qualify hot leads" },
      ],
      writes: [
        { workflow: "nurture", field: "status", step: "s", value: '"nurturing"' },
        { workflow: "qualify", field: "status", step: "s", value: '"qualified"' },
      ],
    });
    expect(w?.message).toBe(
      '"Nurture big companies" (nurture) sets status to "nurturing" and "Qualify hot leads" (qualify) sets it to "qualified" on the same lead under conditions that can both hold: whichever runs last wins.',
    );
    // The id names what the warning says, not which of the two is published.
    expect(findConflicts([a, b], "qualify")[0]?.id).toBe(w?.id);
  });

  it("does not warn for the same field written under stage = won vs stage = lost", () => {
    const won = wf({
      key: "won",
      object: "deal",
      trigger: { type: "field_changed", field: "stage", to: "closed_won" },
      steps: set({ next_step: "send contract" }),
    });
    const lost = wf({
      key: "lost",
      object: "deal",
      trigger: { type: "record_updated", filter: { field: "stage", op: "eq", value: "closed_lost" } },
      steps: set({ next_step: "ask why" }),
    });
    expect(findConflicts([won, lost])).toEqual([]);
    // The same writes under conditions that can both hold do conflict.
    const any = wf({
      key: "any",
      object: "deal",
      trigger: { type: "record_updated", fields: ["amount"] },
      steps: set({ next_step: "call" }),
    });
    expect(findConflicts([won, any]).map((w) => w.kind)).toEqual(["write_conflict"]);
  });

  it("reads branch choices on the way to the write, equal constants and score additions as agreeing", () => {
    const branchy = wf({
      key: "branchy",
      trigger: { type: "record_created" },
      steps: {
        s: { type: "branch", rules: [{ when: { field: "country", op: "eq", value: "DE" }, next: "de" }], else: "end" },
        de: { type: "action", action: { type: "update_fields", fields: { status: "working" } } },
        end: { type: "end" },
      },
    });
    const us = wf({
      key: "us",
      trigger: { type: "record_created", filter: { field: "country", op: "in", value: ["US", "CA"] } },
      steps: set({ status: "nurturing" }),
    });
    expect(findConflicts([branchy, us])).toEqual([]);
    const same = wf({ key: "same", trigger: { type: "record_created" }, steps: set({ status: "working" }) });
    expect(findConflicts([branchy, same])).toEqual([]);
    const score = (key: string, by: number) =>
      wf({ key, trigger: { type: "record_created" }, steps: { s: { type: "action", action: { type: "change_score", by } } } });
    expect(findConflicts([score("plus", 5), score("minus", -3)])).toEqual([]);
    const owner = (key: string, to: unknown) =>
      wf({ key, trigger: { type: "record_created" }, steps: { s: { type: "action", action: { type: "assign_owner", to } } } });
    const [w] = findConflicts([owner("rr", { round_robin_team: "t1" }), owner("ann", { user_id: "u-ann" })]);
    expect(w?.writes.map((x) => x.value)).toEqual(["the next of team t1", '"u-ann"']);
  });
});

describe("trigger cycles", () => {
  const a = wf({
    key: "a-stage",
    name: "Stage keeper",
    trigger: { type: "field_changed", field: "score" },
    steps: set({ status: "working" }),
  });
  const b = wf({
    key: "b-score",
    name: "Score bumper",
    trigger: { type: "record_updated", fields: ["status"] },
    steps: { s: { type: "action", action: { type: "change_score", by: 10 } } },
  });

  it("finds A writes f → triggers B which writes g → triggers A, naming both and their fields", () => {
    const [w, ...rest] = findConflicts([a, b], "b-score");
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      kind: "trigger_cycle",
      object: "lead",
      workflows: [
        { key: "b-score", name: "Score bumper" },
        { key: "a-stage", name: "Stage keeper" },
      ],
      fields: ["score", "status"],
      writes: [
        { workflow: "b-score", field: "score", value: "+10" },
        { workflow: "a-stage", field: "status", value: '"working"' },
      ],
    });
    expect(w?.message).toContain('"Score bumper" (b-score) writes score, which can trigger "Stage keeper" (a-stage)');
    expect(w?.message).toContain('"Stage keeper" (a-stage) writes status, which can trigger "Score bumper" (b-score)');
    expect(w?.message).toContain('a cycle "Score bumper" → "Stage keeper" → "Score bumper"');
    expect(findConflicts([a, b], "a-stage")[0]?.id).toBe(w?.id);
  });

  it("is broken by a trigger that does not accept the value written, or by conditions", () => {
    const onlyQualified = wf({ ...b, key: "b2", trigger: { type: "field_changed", field: "status", to: "qualified" } });
    expect(findConflicts([a, onlyQualified])).toEqual([]);
    const notWorking = wf({ ...b, key: "b3", conditions: { field: "status", op: "neq", value: "working" } });
    expect(findConflicts([a, notWorking])).toEqual([]);
    const down = wf({ ...a, key: "a2", trigger: { type: "score_threshold", threshold: 50, direction: "down" } });
    expect(findConflicts([down, b])).toEqual([]);
  });

  it("reports a self-loop only when the workflow allows self-triggering", () => {
    const self = wf({
      key: "self",
      trigger: { type: "record_updated" },
      steps: { s: { type: "action", action: { type: "change_score", by: 1 } } },
    });
    expect(findConflicts([self])).toEqual([]);
    const allowed = workflowSchema.parse({ ...self, allow_self_trigger: true });
    const [w] = findConflicts([allowed]);
    expect(w?.kind).toBe("trigger_cycle");
    expect(w?.message).toContain('a cycle "SELF" → "SELF"');
  });
});

describe("satisfiable", () => {
  const c = (field: string, op: string, value?: unknown) => ({ field, op, value }) as Condition;
  it.each([
    ["stage = won and stage = lost", [c("stage", "eq", "won"), c("stage", "eq", "lost")], false],
    ["score > 60 and score < 40", [c("score", "gt", 60), c("score", "lt", 40)], false],
    ["score >= 60 and score <= 60", [c("score", "gte", 60), c("score", "lte", 60)], true],
    ["score > 60 and score <= 60", [c("score", "gt", 60), c("score", "lte", 60)], false],
    ["score between 10–20 and score > 30", [c("score", "between", [10, 20]), c("score", "gt", 30)], false],
    ["status in [a, b] and status nin [a, b]", [c("status", "in", ["a", "b"]), c("status", "nin", ["a", "b"])], false],
    ["status in [a, b] and status ≠ a", [c("status", "in", ["a", "b"]), c("status", "neq", "a")], true],
    ["is set and is not set", [c("email", "is_set"), c("email", "is_not_set")], false],
    ["is not set and > 3", [c("score", "is_not_set"), c("score", "gt", 3)], false],
    ["not (stage = won) and stage = won", [{ not: c("stage", "eq", "won") }, c("stage", "eq", "won")], false],
    // `not (score > 60)` also holds for an empty score: the check does not read it as a bound (a warning too many).
    ["not (score > 60) and score > 70: not read as a bound", [{ not: c("score", "gt", 60) }, c("score", "gt", 70)], true],
    ["(a or b) and not a and not b", [{ or: [c("s", "eq", "a"), c("s", "eq", "b")] }, c("s", "neq", "a"), c("s", "neq", "b")], false],
    ["score > 60 and text contains x: unread, can hold", [c("score", "gt", 60), c("name", "contains", "x")], true],
    ["a count: unread, can hold", [{ count: { object: "task", via: "related_id" }, op: "eq", value: 0 } as Condition], true],
    ["a number bound and a text bound", [c("score", "gt", 1), c("score", "lt", "b")], false],
  ])("%s → %s", (_, conditions, expected) => {
    expect(satisfiable(...conditions)).toBe(expected);
  });

  /** Never says "cannot hold" of a condition some record passes (checked with the runtime's own compiled conditions). */
  it("never calls a condition impossible that a record passes", () => {
    const values = [null, "", 1, 2, 3, "a", "b"];
    const leaf = fc.record({
      field: fc.constantFrom("x", "y"),
      op: fc.constantFrom("eq", "neq", "in", "nin", "gt", "gte", "lt", "lte", "between", "is_set", "is_not_set", "contains"),
      value: fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { maxLength: 3 })),
    }) as fc.Arbitrary<Condition>;
    const cond = fc.letrec((tie) => ({
      c: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.record({ and: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
        fc.record({ or: fc.array(tie("c"), { minLength: 1, maxLength: 3 }) }),
        fc.record({ not: tie("c") }),
      ),
    })).c as fc.Arbitrary<Condition>;
    const records = values.flatMap((x) => values.map((y) => ({ x, y })));
    let impossible = 0;
    fc.assert(
      fc.property(cond, (condition) => {
        if (satisfiable(condition)) return;
        impossible++;
        const compiled = compileCondition(condition);
        for (const record of records)
          expect(compiled.test({ record, refs: {}, counts: {}, nowMs: 0 }), JSON.stringify({ condition, record })).toBe(false);
      }),
      { numRuns: 2_000 },
    );
    // The property is not vacuous: a good share of the random conditions are found impossible.
    expect(impossible).toBeGreaterThan(100);
  });
});
