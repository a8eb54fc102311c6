/**
 * The trigger registry answers what the eight places it replaced answered: the index key of a
 * live version (workflow-service's table), the keys an event is looked up by (the matcher's
 * switch), the kinds that backfill, and which kinds fire by time.
 */
import { describe, expect, it } from "vitest";
import { isTimeTrigger } from "../../src/engine/date-triggers.js";
import type { TriggerSpec } from "../../src/engine/definition.js";
import { BACKFILL_TRIGGERS, lookupKeys, TRIGGERS, type TriggerEvent, triggerKind } from "../../src/engine/triggers/index.js";

const SPECS: TriggerSpec[] = [
  { type: "record_created" },
  { type: "record_updated" },
  { type: "record_deleted" },
  { type: "record_merged" },
  { type: "field_changed", field: "status" },
  { type: "relative_date", field: "contract_end_date", offset: { days: 90, before: true } },
  { type: "inactivity", days: 30, field: "last_activity_at" },
  { type: "score_threshold", field: "score", threshold: 50, direction: "up" },
  { type: "external", key: "web-form" },
  { type: "manual" },
  { type: "review_queued", kinds: ["duplicate"] },
  { type: "schedule", cron: "0 9 * * 1", time_zone: "UTC" },
  { type: "sla", policy: "Ticket first response", milestones: ["breach"] },
  { type: "email_engaged", on: ["opened"] },
];

describe("trigger registry", () => {
  it("has one entry per kind of the format", () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual(SPECS.map((s) => s.type).sort());
  });

  it("indexes each kind under the key it was always indexed under", () => {
    expect(Object.fromEntries(SPECS.map((t) => [t.type, triggerKind(t).indexKey(t)]))).toEqual({
      record_created: "record_created",
      record_updated: "record_updated",
      record_deleted: "record_deleted",
      record_merged: "record_merged",
      field_changed: "field_changed",
      relative_date: "time",
      inactivity: "time",
      score_threshold: "score_threshold",
      external: "external:web-form",
      manual: undefined,
      review_queued: "review_queued",
      schedule: undefined,
      sla: "sla:Ticket first response",
      email_engaged: "email_engaged",
    });
  });

  it("looks an event up by the keys of the kinds it can fire, in the same order as before", () => {
    const event = (type: TriggerEvent["type"], source?: string) => ({
      type,
      changes: [],
      ...(source ? { source } : {}),
    });
    expect(lookupKeys(event("record.created"))).toEqual(["record_created", "score_threshold"]);
    expect(lookupKeys(event("record.updated"))).toEqual(["record_updated", "field_changed", "score_threshold"]);
    expect(lookupKeys(event("record.deleted"))).toEqual(["record_deleted"]);
    // A merge is one record.merged event on the survivor: only record_merged starts on it.
    expect(lookupKeys(event("record.merged"))).toEqual(["record_merged"]);
    expect(lookupKeys(event("record.review_queued", "duplicate"))).toEqual(["review_queued"]);
    expect(lookupKeys(event("record.email_engaged", "opened"))).toEqual(["email_engaged"]);
    expect(lookupKeys(event("external.received", "web-form"))).toEqual(["external:web-form"]);
    expect(lookupKeys(event("external.received"))).toEqual(["external:"]);
    for (const type of ["sla.warning", "sla.breached", "sla.escalated"] as const)
      expect(lookupKeys(event(type, "Ticket first response"))).toEqual(["sla:Ticket first response"]);
  });

  it("fires email_engaged on the engagements it names only", () => {
    const engaged = (source: string) => ({ type: "record.email_engaged" as const, changes: [], source });
    const opened: Extract<TriggerSpec, { type: "email_engaged" }> = { type: "email_engaged", on: ["opened"] };
    const both: Extract<TriggerSpec, { type: "email_engaged" }> = { type: "email_engaged", on: ["opened", "clicked"] };
    expect(triggerKind(opened).fires(opened, engaged("opened"))).toBe(true);
    expect(triggerKind(opened).fires(opened, engaged("clicked"))).toBe(false);
    expect(triggerKind(both).fires(both, engaged("clicked"))).toBe(true);
    expect(triggerKind(opened).fires(opened, { type: "record.created", changes: [] })).toBe(false);
  });

  it("knows which kinds fire by time and which backfill", () => {
    expect(SPECS.filter(isTimeTrigger).map((t) => t.type)).toEqual(["relative_date", "inactivity", "schedule"]);
    expect(BACKFILL_TRIGGERS).toEqual(["relative_date", "inactivity"]);
  });
});
