/** The pure fan-out: which subscriptions get an item for an event or a step, with which key and body. */
import { describe, expect, it } from "vitest";
import { seededIdGenerator } from "../../src/app/ports.js";
import { isEventPattern, webhookItemsFor, webhookItemsForStep } from "../../src/app/webhooks/fan-out.js";
import type { WebhookSubscriptionRow } from "../../src/store/inbound-ports.js";
import type { DomainEvent, StoredRecord } from "../../src/store/ports.js";

const T = "2026-03-01T10:00:00.000Z";
const sub = (id: string, events: string[], extra: Partial<WebhookSubscriptionRow> = {}): WebhookSubscriptionRow => ({
  workspaceId: "ws",
  id,
  url: `https://example.com/${id}`,
  description: "",
  events,
  secretSealed: "sealed",
  active: true,
  createdAt: T,
  updatedAt: T,
  ...extra,
});
const event = (type: DomainEvent["type"], object: DomainEvent["object"] = "lead"): DomainEvent => ({
  position: 7,
  id: "ev1",
  workspaceId: "ws",
  type,
  object,
  recordId: "r1",
  recordVersion: 2,
  actor: { kind: "person", id: "u1" },
  causeId: null,
  changes: [{ field: "status", old: "new", new: "working" }],
  occurredAt: T,
  depth: 0,
});
const record: StoredRecord = {
  workspaceId: "ws",
  id: "r1",
  object: "lead",
  version: 2,
  data: { last_name: "Lovelace", status: "working" },
  createdAt: "2026-02-01T00:00:00.000Z",
  updatedAt: T,
};
const ids = () => seededIdGenerator(1, Date.parse(T));

describe("event patterns", () => {
  it("accepts object/action patterns with wildcards and workflow steps, nothing else", () => {
    for (const p of [
      "lead.created",
      "*.deleted",
      "deal.*",
      "*.*",
      "workflow.step:speed-to-lead/call-task",
      "workflow.step:speed-to-lead/*",
    ])
      expect(isEventPattern(p), p).toBe(true);
    for (const p of ["lead", "lead.moved", "robot.created", "workflow.step:speed-to-lead", "workflow.step:/x", "*", "lead.created "])
      expect(isEventPattern(p), p).toBe(false);
  });
});

describe("webhookItemsFor", () => {
  const subs = [
    sub("s-exact", ["lead.updated"]),
    sub("s-any-lead", ["lead.*"]),
    sub("s-deals", ["deal.updated"]),
    sub("s-all", ["*.*"]),
    sub("s-paused", ["lead.updated"], { active: false }),
    sub("s-other-ws", ["lead.updated"], { workspaceId: "other" }),
    sub("s-steps", ["workflow.step:x-y/a"]),
  ];

  it("gives one item to each active subscription of the workspace whose pattern matches, keyed <subscription>:<event>", () => {
    const items = webhookItemsFor(event("record.updated"), subs, ids(), record);
    expect(items.map((i) => i.key)).toEqual(["s-exact:ev1", "s-any-lead:ev1", "s-all:ev1"]);
    expect(items[0]).toMatchObject({
      workspaceId: "ws",
      kind: "webhook",
      connector: null,
      subscriptionId: "s-exact",
      runId: null,
      recordId: "r1",
      status: "pending",
      attempts: 0,
      nextAttemptAt: T,
    });
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
  });

  it("carries the Standard Webhooks body: type, timestamp, the record after the change and the changes", () => {
    const [item] = webhookItemsFor(event("record.updated"), subs, ids(), record);
    expect(item?.payload).toEqual({
      type: "lead.updated",
      timestamp: T,
      data: {
        event_id: "ev1",
        object: "lead",
        id: "r1",
        version: 2,
        record: { id: "r1", last_name: "Lovelace", status: "working", created_at: "2026-02-01T00:00:00.000Z", updated_at: T },
        changes: [{ field: "status", old: "new", new: "working" }],
        actor: { kind: "person", id: "u1" },
      },
    });
  });

  it("a deleted record is sent with record null; wildcards on the action match", () => {
    const items = webhookItemsFor(event("record.deleted", "deal"), [sub("a", ["*.deleted"]), sub("b", ["deal.created"])], ids());
    expect(items.map((i) => i.key)).toEqual(["a:ev1"]);
    expect(items[0]?.payload).toMatchObject({ type: "deal.deleted", data: { id: "r1", record: null } });
  });

  it("external.received events are not fanned out (their record change is)", () => {
    expect(webhookItemsFor({ ...event("external.received"), source: "signup" }, [sub("a", ["*.*"])], ids(), record)).toEqual([]);
  });
});

describe("webhookItemsForStep", () => {
  const step = {
    workspaceId: "ws",
    workflowId: "wf1",
    workflowKey: "speed-to-lead",
    runId: "run1",
    recordId: "r1",
    seq: 2,
    step: "call-task",
    outcome: "applied",
    why: "created the call task",
    at: T,
  };

  it("gives items to subscriptions naming this workflow's step (or all its steps), keyed <subscription>:<run>:<seq>", () => {
    const subs = [
      sub("exact", ["workflow.step:speed-to-lead/call-task"]),
      sub("all-steps", ["workflow.step:speed-to-lead/*"]),
      sub("other-step", ["workflow.step:speed-to-lead/assign"]),
      sub("other-flow", ["workflow.step:renewals/call-task"]),
      sub("records", ["*.*"]),
    ];
    const items = webhookItemsForStep(step, subs, ids());
    expect(items.map((i) => i.key)).toEqual(["exact:run1:2", "all-steps:run1:2"]);
    // The run does not wait for the delivery: runId (the run awaiting an outcome) stays null.
    expect(items[0]).toMatchObject({ runId: null, recordId: "r1", subscriptionId: "exact" });
    expect(items[0]?.payload).toEqual({
      type: "workflow.step",
      timestamp: T,
      data: {
        workflow_id: "wf1",
        workflow_key: "speed-to-lead",
        run_id: "run1",
        record_id: "r1",
        seq: 2,
        step: "call-task",
        outcome: "applied",
        why: "created the call task",
      },
    });
  });

  it("a log entry without a step (a run cancelled before it started) goes nowhere", () => {
    expect(webhookItemsForStep({ ...step, step: null }, [sub("all", ["workflow.step:speed-to-lead/*"])], ids())).toEqual([]);
  });
});
