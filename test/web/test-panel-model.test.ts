/**
 * The builder's Test panel, its pure part (web/src/pages/builder/test/test-model.ts): the inline
 * record's form offers the fields that decide enrollment and path first; typed values become the
 * record's types; a step-by-step run says where it waits; answers to the same step pile up in
 * order; a result pre-fills a test case's expectations (the record's own address as "record",
 * silence as `count: 0`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import {
  addAnswer,
  answerWords,
  expectationsFrom,
  fieldValue,
  formFields,
  type TestRunResult,
  triggerChange,
  waitingAt,
} from "../../web/src/pages/builder/test/test-model.js";
import type { FieldInfo, ObjectInfo } from "../../web/src/records/field-info.js";

const recipe = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../recipes/${name}.json`, import.meta.url), "utf8")) as WorkflowDefinition;

const field = (name: string, type: FieldInfo["type"], extra: Partial<FieldInfo> = {}): FieldInfo => ({
  name,
  type,
  label: name,
  required: false,
  managed: false,
  custom: false,
  operators: [],
  ...extra,
});

const LEAD: ObjectInfo = {
  name: "lead",
  plural: "leads",
  label: "Lead",
  fields: [
    field("first_name", "string"),
    field("last_name", "string", { required: true }),
    field("email", "email"),
    field("city", "string"),
    field("score", "integer"),
    field("employee_count", "integer"),
    field("last_activity_at", "datetime", { managed: true }),
  ],
};
const DEAL: ObjectInfo = {
  name: "deal",
  plural: "deals",
  label: "Deal",
  fields: [
    field("name", "string", { required: true }),
    field("stage", "enum", { required: true, options: ["proposal", "negotiation"] }),
    field("amount", "number"),
    field("discount_pct", "number"),
    field("notes", "json"),
  ],
};

const result = (over: Partial<TestRunResult>): TestRunResult =>
  ({
    workflow: { id: "w", key: "k", version: 1, source: "draft" },
    record_id: "r1",
    record: { email: "Ada@Example.com" },
    status: "completed",
    stopped: "ended",
    reason: null,
    run: null,
    steps: [],
    path: [],
    fields_written: [],
    owner: null,
    messages: [],
    notifications: [],
    tasks: [],
    approvals_waiting: [],
    answered: [],
    sla_clocks: [],
    simulated: { started_at: "2026-01-01T00:00:00Z", ended_at: "2026-01-01T00:00:00Z" },
    ...over,
  }) as TestRunResult;

describe("the Test panel's model", () => {
  it("offers the fields the conditions read first, then required and naming fields; never managed or JSON fields", () => {
    expect(formFields(recipe("speed-to-lead"), LEAD).map((f) => f.name)).toEqual([
      "score",
      "employee_count",
      "last_name",
      "first_name",
      "email",
    ]);
    // The approval's routes read the discount and the amount: they decide its path.
    expect(formFields(recipe("discount-approval"), DEAL).map((f) => f.name)).toEqual(["discount_pct", "amount", "name", "stage"]);
  });

  it("names the change that triggers an update-triggered workflow, with the value its trigger waits for", () => {
    expect(triggerChange(recipe("discount-approval"))).toEqual({ field: "stage", to: "negotiation" });
    expect(triggerChange(recipe("speed-to-lead"))).toBeUndefined();
  });

  it("types what was typed: numbers, yes/no, blank as absent, text as it is", () => {
    expect(fieldValue(field("score", "integer"), " 80 ")).toBe(80);
    expect(fieldValue(field("score", "integer"), "eighty")).toBe("eighty");
    expect(fieldValue(field("vip", "boolean"), "true")).toBe(true);
    expect(fieldValue(field("city", "string"), "  ")).toBeUndefined();
    expect(fieldValue(undefined, "Lisbon")).toBe("Lisbon");
  });

  it("says where a run waits: an approval to decide, a timer to let pass, an event to answer, with the SLAs running; nothing once ended", () => {
    const approval = result({
      status: "waiting",
      stopped: "waiting",
      approvals_waiting: [{ request_id: "q", step: "approve", round: 1, status: "pending", waiting_on: [] }],
    });
    expect(waitingAt(approval)).toEqual({ step: "approve", kind: "approval", sla: [] });
    const run = { step: "wait-15", wait: { kind: "timer", timerId: "t", dueAt: "2026-01-01T00:15:00Z", next: null } };
    expect(waitingAt(result({ status: "waiting", stopped: "waiting", run: run as never }))).toEqual({
      step: "wait-15",
      kind: "time",
      sla: [],
    });
    const event = { step: "wait-for-call", wait: { kind: "wait_for", timerId: "t", dueAt: "2026-01-01T00:15:00Z" } };
    const clocks = [
      { policy: "Resolution", phase: "running", fired: [], next_due_at: null },
      { policy: "First response", phase: "stopped", fired: [], next_due_at: null },
    ];
    expect(waitingAt(result({ status: "waiting", stopped: "waiting", run: event as never, sla_clocks: clocks }))).toEqual({
      step: "wait-for-call",
      kind: "event",
      sla: ["Resolution"],
    });
    expect(waitingAt(result({}))).toBeUndefined();
  });

  it("piles answers to one step up in order, and says them in words", () => {
    let a = addAnswer({}, "approve", { decision: "send_back" });
    a = addAnswer(a, "wait", { pass: true });
    a = addAnswer(a, "approve", { decision: "approve" });
    expect(a).toEqual({ approve: [{ decision: "send_back" }, { decision: "approve" }], wait: { pass: true } });
    expect(answerWords(a)).toEqual(["approve: Send back, then Approve", "wait: Let time pass"]);
    a = addAnswer(a, "wait-for-call", { event_after_minutes: 5 });
    a = addAnswer(a, "resolved", { sla: "met", after_minutes: 30 });
    a = addAnswer(a, "@trigger", { sla: "breach" });
    a = addAnswer(a, "late", { timeout: true });
    expect(answerWords(a).slice(2)).toEqual([
      "wait-for-call: Happens after 5 min",
      "resolved: SLA met after 30 min",
      "the trigger: SLA breached",
      "late: Nothing arrives (times out)",
    ]);
  });

  it("pre-fills expectations: status, path, owner by name, messages by kind and recipient", () => {
    const r = result({
      path: ["assign", "auto-reply"],
      owner: { user_id: "u1", name: "Priya Larsen", email: "priya@x.test", team: null, why: "round-robin" },
      messages: [
        { kind: "email", to: "ada@example.com", subject: "Hi" },
        { kind: "email", to: "boss@example.com", subject: "FYI" },
        { kind: "email", to: "boss@example.com", subject: "FYI again" },
        { kind: "chat", text: "New lead" },
      ],
    });
    expect(expectationsFrom(r)).toEqual({
      status: "completed",
      path: ["assign", "auto-reply"],
      owner: { user: "Priya Larsen" },
      messages: [{ kind: "email", to: "record" }, { kind: "email", to: "boss@example.com", count: 2 }, { kind: "chat" }],
    });
    // Nothing sent and nobody chosen: silence is expected, no owner is.
    expect(expectationsFrom(result({ status: "not_enrolled", stopped: "not_enrolled" }))).toEqual({
      status: "not_enrolled",
      path: [],
      messages: [{ kind: "email", count: 0 }],
    });
  });
});
