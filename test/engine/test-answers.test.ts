/**
 * What a tester's answer at a wait means (src/engine/test-answers.ts, src/crm/sla/met-by.ts),
 * pure: the fields that satisfy a wait's condition, the awaited change of a wait_for on an event
 * or on a condition, the SLA event a chosen milestone is (and whether an sla trigger listens to
 * it), and the change that meets an SLA for each kind of stop. The sandbox carries these out
 * (test/workflow-tests/test-run-answers-api.test.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slaStopChange } from "../../src/crm/sla/met-by.js";
import { compileCondition } from "../../src/engine/conditions.js";
import type { Condition } from "../../src/engine/definition.js";
import { awaitedChange, slaMilestoneEvent, witnessFields } from "../../src/engine/test-answers.js";

const facts = (record: Record<string, unknown>) => ({ record, refs: {}, counts: {}, nowMs: 0 });

describe("witnessFields", () => {
  it("takes the plain values a condition names, merging an and, the first usable branch of an or", () => {
    expect(witnessFields({ field: "type", op: "eq", value: "call" })).toEqual({ type: "call" });
    expect(witnessFields({ field: "status", op: "in", value: ["won", "lost"] })).toEqual({ status: "won" });
    expect(
      witnessFields({
        and: [
          { field: "score", op: "gt", value: 40 },
          { field: "employee_count", op: "lt", value: 10 },
        ],
      }),
    ).toEqual({ score: 41, employee_count: 9 });
    expect(
      witnessFields({
        or: [
          { field: "company_id.industry", op: "eq", value: "x" },
          { field: "stage", op: "eq", value: "won" },
        ],
      }),
    ).toEqual({ stage: "won" });
  });

  it("gives nothing it cannot decide: a negation, a related record's field, a count, the triggering change", () => {
    expect(witnessFields({ not: { field: "type", op: "eq", value: "call" } })).toEqual({});
    expect(witnessFields({ field: "company_id.industry", op: "eq", value: "x" })).toEqual({});
    expect(witnessFields({ count: { object: "activity", via: "related_id" }, op: "gte", value: 1 })).toEqual({});
    expect(witnessFields({ field: "status", op: "changed" })).toEqual({});
    expect(witnessFields(undefined)).toEqual({});
  });

  it("what it gives makes the condition hold (numbers, bounds and equalities over one field)", () => {
    const leaf = fc.record({
      field: fc.constantFrom("a", "b", "c"),
      op: fc.constantFrom("eq", "gt", "gte", "lt", "lte", "in"),
      value: fc.integer({ min: -1000, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 3 }), (leaves) => {
        const byField = new Map(leaves.map((l) => [l.field, l]));
        const parts: Condition[] = [...byField.values()].map((l) =>
          l.op === "in" ? { field: l.field, op: "in", value: [l.value] } : (l as Condition),
        );
        const condition: Condition = { and: parts };
        expect(compileCondition(condition).test(facts(witnessFields(condition)))).toBe(true);
      }),
    );
  });
});

describe("awaitedChange", () => {
  const event = {
    type: "wait_for" as const,
    event: {
      object: "activity" as const,
      kind: "created" as const,
      link: "related_id",
      where: { field: "type", op: "eq" as const, value: "call" },
    },
    timeout: { minutes: 15 },
    next: "called",
    on_timeout: "late",
  };

  it("an event wait: the related record, linked to the run's record, with what its where names; given fields win, never the link", () => {
    expect(awaitedChange(event, "lead-1")).toEqual({
      kind: "related",
      object: "activity",
      type: "created",
      fields: { type: "call", related_id: "lead-1" },
    });
    expect(awaitedChange(event, "lead-1", { type: "email", subject: "Hi", related_id: "other" }).fields).toEqual({
      type: "email",
      subject: "Hi",
      related_id: "lead-1",
    });
  });

  it("a condition wait: the run's record changed so that the condition holds", () => {
    const spec = { type: "wait_for" as const, condition: { field: "score", op: "gte" as const, value: 50 }, timeout: { days: 1 } };
    expect(awaitedChange(spec, "lead-1")).toEqual({ kind: "record", fields: { score: 50 } });
    expect(awaitedChange(spec, "lead-1", { score: 70 })).toEqual({ kind: "record", fields: { score: 70 } });
  });
});

describe("slaMilestoneEvent", () => {
  const trigger = { type: "sla" as const, policy: "Resolution", milestones: ["breach" as const, "escalation" as const] };

  it("met is no event; each milestone its event type, key and level, and whether the trigger listens", () => {
    expect(slaMilestoneEvent(trigger, "met")).toBeNull();
    expect(slaMilestoneEvent(trigger, "breach")).toEqual({ type: "sla.breached", milestone: "breach", level: 1, fires: true });
    expect(slaMilestoneEvent(trigger, "warning")).toEqual({ type: "sla.warning", milestone: "warning", level: 0, fires: false });
    expect(slaMilestoneEvent(trigger, "escalation", 3)).toEqual({ type: "sla.escalated", milestone: "level:3", level: 3, fires: true });
    expect(slaMilestoneEvent({ ...trigger, level: 2 }, "escalation", 3)?.fires).toBe(false);
    expect(slaMilestoneEvent({ ...trigger, level: 2 }, "escalation")).toMatchObject({ level: 2, fires: true });
  });
});

describe("slaStopChange", () => {
  it("a field value: the first value that stops the clock; a field change: only the value the tester gives", () => {
    expect(slaStopChange({ on: "field_value", field: "status", in: ["resolved", "closed"] }, "t-1", undefined)).toEqual({
      kind: "update",
      fields: { status: "resolved" },
    });
    expect(slaStopChange({ on: "field_changed", field: "stage" }, "d-1", undefined)).toEqual({ kind: "needs_value", field: "stage" });
    expect(slaStopChange({ on: "field_changed", field: "stage" }, "d-1", undefined, { stage: "proposal" })).toEqual({
      kind: "update",
      fields: { stage: "proposal" },
    });
  });

  it("an activity: of the first type named, about the record, by its owner", () => {
    expect(slaStopChange({ on: "activity", types: ["email", "call"], by: "owner" }, "t-1", "u-1")).toEqual({
      kind: "activity",
      fields: { type: "email", subject: "Logged in a test run", related_id: "t-1", user_id: "u-1" },
    });
  });
});
