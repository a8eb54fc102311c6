/**
 * A policy and a record → the clock's plan (docs/sla.md): the target by the record's value of
 * `targets_by.field` when listed, else `target`; days are 24 h of business time; the warning as a
 * fraction or a time before the target; escalations after the breach. And the milestones the
 * pure clock derives from that plan fall where the policy says.
 */
import { describe, expect, it } from "vitest";
import { clockPlanFor, durationMs, targetFor } from "../../src/app/sla/sla-plan.js";
import { milestonesOf } from "../../src/crm/sla/clock.js";
import type { SlaPolicyDefinition } from "../../src/store/sla-ports.js";

const H = 3_600_000;
const policy: SlaPolicyDefinition = {
  name: "Ticket first response",
  description: "",
  object: "ticket",
  enabled: true,
  starts: { on: "created" },
  stops: { on: "activity", types: ["email", "call"], by: "owner" },
  target: { hours: 4 },
  targets_by: { field: "priority", values: { P1: { hours: 1 }, P2: { hours: 2, minutes: 30 } } },
  calendar: { of: "team" },
  warning: { fraction: 0.75 },
  escalations: [{ after: { hours: 1 } }, { after: { days: 1 } }],
};

describe("clockPlanFor", () => {
  it("takes the target of the record's listed value, else the policy's target", () => {
    expect(clockPlanFor(policy, { data: { priority: "P1" } })).toEqual({
      targetMs: 1 * H,
      warning: { fraction: 0.75 },
      escalationsAfterMs: [1 * H, 24 * H],
    });
    expect(clockPlanFor(policy, { data: { priority: "P2" } }).targetMs).toBe(2.5 * H);
    // Not listed, unset, or not a value a key can name: the policy's target.
    for (const data of [{ priority: "P4" }, {}, { priority: null }, { priority: ["P1"] }])
      expect(clockPlanFor(policy, { data }).targetMs).toBe(4 * H);
    // A key inherited from Object.prototype is not a listed value.
    expect(targetFor(policy, { data: { priority: "constructor" } })).toEqual({ target: { hours: 4 } });
    expect(targetFor(policy, { data: { priority: "P1" } })).toEqual({ target: { hours: 1 }, by: "P1" });
  });

  it("works without targets_by, warning or escalations", () => {
    const bare: SlaPolicyDefinition = { ...policy, targets_by: undefined, warning: undefined, escalations: [] };
    expect(clockPlanFor(bare, { data: { priority: "P1" } })).toEqual({ targetMs: 4 * H, escalationsAfterMs: [] });
  });

  it("turns a warning before the target into business time before it, and days into 24 h", () => {
    const p: SlaPolicyDefinition = { ...policy, target: { days: 2 }, targets_by: undefined, warning: { before: { minutes: 30 } } };
    const plan = clockPlanFor(p, { data: {} });
    expect(plan).toEqual({ targetMs: 48 * H, warning: { beforeMs: 30 * 60_000 }, escalationsAfterMs: [1 * H, 24 * H] });
    expect(milestonesOf(plan).map((m) => [m.key, m.atConsumedMs])).toEqual([
      ["warning", 48 * H - 30 * 60_000],
      ["breach", 48 * H],
      ["level:2", 49 * H],
      ["level:3", 72 * H],
    ]);
  });

  it("puts the fraction's warning on the record's own target", () => {
    expect(milestonesOf(clockPlanFor(policy, { data: { priority: "P1" } })).map((m) => [m.key, m.atConsumedMs])).toEqual([
      ["warning", 0.75 * H],
      ["breach", 1 * H],
      ["level:2", 2 * H],
      ["level:3", 25 * H],
    ]);
  });

  it("adds the parts of a duration", () => {
    expect(durationMs({ days: 1, hours: 2, minutes: 3 })).toBe(26 * H + 3 * 60_000);
    expect(durationMs({})).toBe(0);
  });
});
