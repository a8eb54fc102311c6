/**
 * The pure engine: feed inputs to decide() and assert the exact commands. Time is a number we
 * move by hand: a 90-day delay passes in microseconds.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow, factNeeds } from "../../src/engine/compile.js";
import type { Facts } from "../../src/engine/conditions.js";
import { type DecideContext, decide, type RunInput } from "../../src/engine/decide.js";
import { initialState, type RunState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const T0 = Date.parse("2026-03-02T09:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;

function load(path: string) {
  const v = validateWorkflow(JSON.parse(readFileSync(path, "utf8")), fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return compileWorkflow(v.definition);
}

function compile(def: unknown) {
  const v = validateWorkflow(def, fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues, null, 1));
  return compileWorkflow(v.definition);
}

function facts(record: Record<string, unknown>, nowMs: number, extra: Partial<Facts> = {}): Facts {
  return { record: { id: "lead1", ...record }, refs: {}, counts: {}, nowMs, ...extra };
}

/** Drives a run like the runtime does: one input, then `continue` until it waits or ends. */
function drive(w: ReturnType<typeof compile>, state: RunState, input: RunInput, f: Facts, seq = { n: 0 }) {
  const all: Array<ReturnType<typeof decide>> = [];
  const ctx = (): DecideContext => ({ runId: "run1", seq: ++seq.n, nowMs: f.nowMs, timeZone: "America/New_York" });
  let d = decide(w, state, input, f, ctx());
  all.push(d);
  while (d.state.status === "running") {
    d = decide(w, d.state, { kind: "continue" }, f, ctx());
    all.push(d);
  }
  return { state: d.state, commands: all.flatMap((x) => x.commands), logs: all.map((x) => x.log).filter(Boolean) };
}

describe("speed-to-lead recipe", () => {
  const w = load("recipes/speed-to-lead.json");
  const lead = { first_name: "Ada", last_name: "Lovelace", score: 55, employee_count: 40 };

  it("enrolls only leads that fit", () => {
    expect(w.enrollment.test(facts(lead, T0))).toBe(true);
    expect(w.enrollment.test(facts({ ...lead, score: 40 }, T0))).toBe(false);
    expect(w.enrollment.explain(facts({ ...lead, employee_count: 5 }, T0))).toBe(
      "(score (55) gt 40 → true AND employee_count (5) gt 10 → false)",
    );
  });

  const replyKey = "run1:auto-reply:3";
  /** Runs to the auto-reply, then hands the email's outcome back as the outbox would. */
  const toWait = (emailOk: boolean, f: Facts = facts(lead, T0)) => {
    const seq = { n: 0 };
    const first = drive(w, initialState(w.definition.start), { kind: "continue" }, f, seq);
    const input: RunInput = emailOk
      ? { kind: "action_result", key: replyKey, ok: true }
      : { kind: "action_result", key: replyKey, ok: false, error: "no address to send to" };
    return { first, after: drive(w, first.state, input, f, seq) };
  };
  const callKey = factNeeds(w).counts[0]?.key ?? "";

  it("assigns, creates the P1 call task, emails the lead from the owner and starts a 15-minute timer, with no one touching it", () => {
    const { first, after } = toWait(true);
    expect(first.commands).toEqual([
      { type: "assign_owner", field: "owner_id", to: { queue: "Inbound reps" }, excludeCurrent: false },
      {
        type: "create_record",
        object: "task",
        fields: { subject: "Call within 5 min: Ada Lovelace", priority: "P1", related_id: "lead1", due_at: "2026-03-02T09:05:00.000Z" },
        owner: { field: "owner_id" },
      },
      { type: "enqueue_external", key: replyKey, action: expect.objectContaining({ type: "send_email", reply_to_owner: true }) },
    ]);
    expect(first.state).toMatchObject({ status: "waiting", step: "auto-reply", wait: { kind: "action", key: replyKey } });
    expect(after.commands).toEqual([{ type: "start_timer", timerId: "run1:5", dueAt: "2026-03-02T09:15:00.000Z" }]);
    expect(after.state).toMatchObject({
      status: "waiting",
      step: "wait-for-call",
      wait: { kind: "timer", timerId: "run1:5", dueAt: "2026-03-02T09:15:00.000Z", next: "reassign" },
    });
  });

  it("goes on to the wait when the email fails: an email problem never holds up the call", () => {
    const { after } = toWait(false);
    expect(after.logs[0]).toMatchObject({
      step: "auto-reply",
      outcome: "fallback",
      why: "failed (no address to send to); taking the fallback path",
    });
    expect(after.commands).toEqual([{ type: "start_timer", timerId: "run1:5", dueAt: "2026-03-02T09:15:00.000Z" }]);
    expect(after.state).toMatchObject({ status: "waiting", step: "wait-for-call" });
  });

  it("is not ended by its own email activity, only by a logged call", () => {
    const waiting = toWait(true).after.state;
    const emailed = facts({ ...lead, last_activity_at: "2026-03-02T09:01:00.000Z" }, T0 + MIN, {
      changes: [{ field: "last_activity_at", old: null, new: "2026-03-02T09:01:00.000Z" }],
      counts: { [callKey]: 0 },
    });
    expect(drive(w, waiting, { kind: "record_changed" }, emailed).state).toEqual(waiting);
    const called = facts({ ...lead, last_activity_at: "2026-03-02T09:07:00.000Z" }, T0 + 7 * MIN, {
      changes: [{ field: "last_activity_at", old: "2026-03-02T09:01:00.000Z", new: "2026-03-02T09:07:00.000Z" }],
      counts: { [callKey]: 1 },
    });
    const r = drive(w, waiting, { kind: "record_changed" }, called);
    expect(r.state.status).toBe("exited");
    expect(r.state.reason).toBe("goal met");
    expect(r.commands).toEqual([{ type: "cancel_timer", timerId: "run1:5" }]);
    // The timer that was cancelled but fires anyway (a race) changes nothing.
    expect(
      decide(w, r.state, { kind: "timer_fired", timerId: "run1:5" }, called, {
        runId: "run1",
        seq: 9,
        nowMs: T0 + 15 * MIN,
        timeZone: "UTC",
      }).log,
    ).toBeNull();
  });

  it("reassigns and alerts the team lead when nobody calls", () => {
    const waiting = toWait(true).after.state;
    const r = drive(w, waiting, { kind: "timer_fired", timerId: "run1:5" }, facts({ ...lead, owner_id: "u1" }, T0 + 15 * MIN));
    expect(r.commands).toEqual([
      { type: "assign_owner", field: "owner_id", to: { queue: "Inbound reps" }, excludeCurrent: true },
      {
        type: "notify",
        to: { team_lead_of: "owner_id" },
        message: "Lead Ada Lovelace was not called within 15 minutes and has been reassigned.",
      },
    ]);
    expect(r.state).toMatchObject({ status: "completed", reason: "reached an end step" });
    expect(r.logs.map((l) => l?.outcome)).toEqual(["elapsed", "applied", "applied", "completed"]);
  });
});

describe("waits", () => {
  const renewal = compile({
    key: "renewal",
    name: "Renewal reminder",
    object: "deal",
    trigger: { type: "field_changed", field: "stage", to: "closed_won" },
    start: "wait",
    steps: {
      wait: { type: "delay", until_field: { field: "contract_end_date", offset: { days: 90, before: true } }, next: "task" },
      task: {
        type: "action",
        action: { type: "create_task", subject: "Renewal of {{ record.name }} in 90 days", priority: "P2" },
        next: "end",
      },
      end: { type: "end" },
    },
  });

  it("waits until 90 days before the contract ends, then acts — months pass in one call", () => {
    const deal = { id: "deal1", name: "Acme Platform", contract_end_date: "2026-12-01" };
    let seq = { n: 0 };
    const first = drive(renewal, initialState("wait"), { kind: "continue" }, facts(deal, T0), seq);
    // 90 calendar days before 2026-12-01 in New York: 2026-09-02 at midnight (EDT, UTC-4).
    expect(first.commands).toEqual([{ type: "start_timer", timerId: "run1:1", dueAt: "2026-09-02T04:00:00.000Z" }]);
    const later = Date.parse("2026-09-02T04:00:00.000Z");
    const fired = drive(renewal, first.state, { kind: "timer_fired", timerId: "run1:1" }, facts(deal, later), seq);
    expect(fired.commands).toEqual([
      {
        type: "create_record",
        object: "task",
        fields: { subject: "Renewal of Acme Platform in 90 days", priority: "P2", related_id: "deal1" },
        owner: { field: "owner_id" },
      },
    ]);
    expect(fired.state.status).toBe("completed");
    seq = { n: 0 };
    // A date already past: the wait ends at once instead of waiting for the past.
    const past = drive(renewal, initialState("wait"), { kind: "continue" }, facts({ ...deal, contract_end_date: "2026-01-01" }, T0), seq);
    expect(past.commands[0]).toEqual({ type: "start_timer", timerId: "run1:1", dueAt: new Date(T0).toISOString() });
  });

  it("waits for the next weekday 09:00 in a zone, across a DST change", () => {
    const w = compile({
      key: "morning",
      name: "Morning",
      object: "lead",
      trigger: { type: "manual" },
      start: "wait",
      steps: {
        wait: {
          type: "delay",
          until_time: { time: "09:00", days: ["mon", "tue", "wed", "thu", "fri"], time_zone: "Europe/Berlin" },
          next: "end",
        },
        end: { type: "end" },
      },
    });
    // Friday 2026-03-27 10:00 Berlin (CET) → Monday 2026-03-30 09:00 CEST (UTC+2), after the switch on Sunday.
    const r = drive(w, initialState("wait"), { kind: "continue" }, facts({}, Date.parse("2026-03-27T09:00:00Z")));
    expect(r.commands).toEqual([{ type: "start_timer", timerId: "run1:1", dueAt: "2026-03-30T07:00:00.000Z" }]);
  });

  it("waits for a linked record or times out", () => {
    const w = compile({
      key: "demo-follow-up",
      name: "Follow up",
      object: "contact",
      trigger: { type: "manual" },
      start: "wait",
      steps: {
        wait: {
          type: "wait_for",
          event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "meeting" } },
          timeout: { days: 7 },
          next: "thanks",
          on_timeout: "nudge",
        },
        thanks: { type: "action", action: { type: "add_activity", subject: "Met" }, next: "end" },
        nudge: { type: "action", action: { type: "change_score", by: -5 }, next: "end" },
        end: { type: "end" },
      },
    });
    const waiting = drive(w, initialState("wait"), { kind: "continue" }, facts({}, T0)).state;
    const note = {
      kind: "related_event" as const,
      object: "activity",
      type: "created" as const,
      link: "related_id",
      record: { type: "note" },
    };
    expect(decide(w, waiting, note, facts({}, T0 + DAY), { runId: "run1", seq: 2, nowMs: T0 + DAY, timeZone: "UTC" }).log).toBeNull();
    const met = drive(w, waiting, { ...note, record: { type: "meeting" } }, facts({}, T0 + DAY), { n: 1 });
    expect(met.commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1" },
      {
        type: "create_record",
        object: "activity",
        fields: { type: "note", subject: "Met", related_id: "lead1", occurred_at: new Date(T0 + DAY).toISOString() },
      },
    ]);
    const timedOut = drive(w, waiting, { kind: "timer_fired", timerId: "run1:1" }, facts({}, T0 + 7 * DAY), { n: 1 });
    expect(timedOut.commands).toEqual([{ type: "change_score", field: "score", by: -5 }]);
  });
});

describe("external actions, branches, failures", () => {
  const w = compile({
    key: "enrich",
    name: "Enrich",
    object: "company",
    trigger: { type: "record_created" },
    start: "size",
    steps: {
      size: {
        type: "branch",
        rules: [{ when: { field: "employee_count", op: "gte", value: 100 }, next: "call", label: "large" }],
        else: "done",
      },
      call: {
        type: "action",
        action: { type: "http_request", connector: "enrichment", path: "/companies" },
        next: "done",
        on_failure: "task",
      },
      task: { type: "action", action: { type: "create_task", subject: "Enrich {{ record.name }} by hand", priority: "P3" }, next: "done" },
      done: { type: "end" },
    },
  });

  it("explains the branch it took", () => {
    const r = drive(w, initialState("size"), { kind: "continue" }, facts({ name: "Small", employee_count: 5 }, T0));
    expect(r.logs[0]).toEqual({ step: "size", type: "branch", outcome: "→ done (else)", why: "large: employee_count (5) gte 100 → false" });
  });

  it("places external actions on the outbox and takes the fallback path when they fail", () => {
    const r = drive(w, initialState("size"), { kind: "continue" }, facts({ name: "Big", employee_count: 500 }, T0));
    expect(r.commands).toEqual([
      {
        type: "enqueue_external",
        key: "run1:call:2",
        action: { type: "http_request", connector: "enrichment", method: "POST", path: "/companies", only_if_empty: false },
      },
    ]);
    expect(r.state.wait).toEqual({ kind: "action", key: "run1:call:2" });
    const failed = drive(
      w,
      r.state,
      { kind: "action_result", key: "run1:call:2", ok: false, error: "503 from enrichment" },
      facts({ name: "Big" }, T0),
    );
    expect(failed.logs[0]?.why).toBe("failed (503 from enrichment); taking the fallback path");
    expect(failed.commands).toEqual([
      {
        type: "create_record",
        object: "task",
        fields: { subject: "Enrich Big by hand", priority: "P3", related_id: "lead1" },
        owner: { field: "owner_id" },
      },
    ]);
  });

  it("maps the response of a successful http_request into the record (onlyIfEmpty fills only empty fields)", () => {
    const def = (onlyIfEmpty: boolean) => ({
      key: "enrich-map",
      name: "Enrich and map",
      object: "company",
      trigger: { type: "record_created" },
      start: "call",
      steps: {
        call: {
          type: "action",
          action: {
            type: "http_request",
            connector: "enrichment",
            path: "/companies",
            map_response: { industry: "/company/industry", employee_count: "/company/size/0", country: "/missing" },
            only_if_empty: onlyIfEmpty,
          },
          next: "done",
        },
        done: { type: "end" },
      },
    });
    const response = { company: { industry: "Software", size: [250, "approx"] } };
    const waiting: RunState = {
      status: "waiting",
      step: "call",
      wait: { kind: "action", key: "run1:call:1" },
      stepsTaken: 1,
      reason: null,
    };
    const ok: RunInput = { kind: "action_result", key: "run1:call:1", ok: true, response };
    const all = drive(compile(def(false)), waiting, ok, facts({ name: "Acme", industry: "Retail" }, T0));
    expect(all.commands).toEqual([{ type: "update_record", fields: { industry: "Software", employee_count: 250 } }]);
    expect(all.logs[0]?.why).toBe("the external action succeeded; mapped industry, employee_count from the response");
    expect(all.state.status).toBe("completed");
    const empty = drive(compile(def(true)), waiting, ok, facts({ name: "Acme", industry: "Retail", employee_count: null }, T0));
    expect(empty.commands).toEqual([{ type: "update_record", fields: { employee_count: 250 } }]);
    // No response (or nothing found in it): nothing to write.
    const none = drive(compile(def(false)), waiting, { kind: "action_result", key: "run1:call:1", ok: true }, facts({}, T0));
    expect(none.commands).toEqual([]);
    // A result for another key is not this run's.
    const stale = decide(compile(def(false)), waiting, { ...ok, key: "run1:call:9" }, facts({}, T0), {
      runId: "run1",
      seq: 3,
      nowMs: T0,
      timeZone: "UTC",
    });
    expect(stale).toEqual({ state: waiting, commands: [], log: null });
  });

  it("fails the run visibly when an external action without on_failure is a dead letter", () => {
    const w3 = compile({
      key: "no-fallback",
      name: "No fallback",
      object: "company",
      trigger: { type: "manual" },
      start: "call",
      steps: { call: { type: "action", action: { type: "http_request", connector: "enrichment" }, next: "done" }, done: { type: "end" } },
    });
    const waiting: RunState = {
      status: "waiting",
      step: "call",
      wait: { kind: "action", key: "run1:call:1" },
      stepsTaken: 1,
      reason: null,
    };
    const why = "permanent failure: HTTP 400: bad domain";
    const d = decide(w3, waiting, { kind: "action_result", key: "run1:call:1", ok: false, error: why }, facts({}, T0), {
      runId: "run1",
      seq: 2,
      nowMs: T0,
      timeZone: "UTC",
    });
    expect(d).toEqual({
      state: { status: "failed", step: "call", wait: null, stepsTaken: 1, reason: why },
      commands: [],
      log: { step: "call", type: "action", outcome: "failed", why },
    });
  });

  it("checks http_request templates and mapped fields at publish", () => {
    const v = validateWorkflow(
      {
        key: "bad-http",
        name: "Bad http",
        object: "company",
        trigger: { type: "manual" },
        start: "call",
        steps: {
          call: {
            type: "action",
            action: {
              type: "http_request",
              connector: "enrichment",
              path: "/c/{{ record.nope }}",
              headers: { "x-owner": "{{ owner.email }}", "x-bad": "{{ secrets.token }}" },
              body: { domain: "{{ record.domain }}", who: ["{{ company.nah }}"] },
              map_response: { industry: "/industry", id: "/id", shoe_size: "/s" },
            },
          },
        },
      },
      fields,
    );
    expect(v.ok).toBe(false);
    const paths = v.ok ? [] : v.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
    expect(paths).toEqual([
      "steps.call.action.path: unknown_field",
      "steps.call.action.headers.x-bad: invalid_value",
      "steps.call.action.body.who.0: unknown_field",
      "steps.call.action.map_response.id: managed_field",
      "steps.call.action.map_response.shoe_size: unknown_field",
    ]);
    const pointer = validateWorkflow(
      {
        key: "bad-pointer",
        name: "Bad pointer",
        object: "company",
        trigger: { type: "manual" },
        start: "call",
        steps: { call: { type: "action", action: { type: "http_request", connector: "e", map_response: { industry: "industry" } } } },
      },
      fields,
    );
    expect(pointer.ok ? [] : pointer.issues.map((i) => i.path.join("."))).toEqual(["steps.call.action.map_response.industry"]);
  });

  it("renders a field that is not set as empty, and retries a failed run from its step", () => {
    const w2 = compile({
      key: "titles",
      name: "Titles",
      object: "lead",
      trigger: { type: "manual" },
      start: "set",
      steps: { set: { type: "action", action: { type: "update_fields", fields: { title: "Dear {{ record.first_name }}" } } } },
    });
    expect(drive(w2, initialState("set"), { kind: "continue" }, facts({}, T0)).commands).toEqual([
      { type: "update_record", fields: { title: "Dear " } },
    ]);
    const failed: RunState = { status: "failed", step: "set", wait: null, stepsTaken: 1, reason: "nobody to assign" };
    const retried = drive(w2, failed, { kind: "retry" }, facts({ first_name: "Ada" }, T0));
    expect(retried.commands).toEqual([{ type: "update_record", fields: { title: "Dear Ada" } }]);
    expect(retried.state.status).toBe("completed");
  });

  it("checks templates at publish: they parse and read known fields", () => {
    const v = validateWorkflow(
      {
        key: "bad-templates",
        name: "Bad templates",
        object: "lead",
        trigger: { type: "manual" },
        start: "a",
        steps: {
          a: { type: "action", action: { type: "update_fields", fields: { title: "{{ record.nickname }}" } }, next: "b" },
          b: {
            type: "action",
            action: { type: "notify", to: { field: "owner_id" }, message: "{{ record.last_name | shout }}" },
            next: "c",
          },
          c: { type: "action", action: { type: "create_task", subject: "{{ secrets.key }}" } },
        },
      },
      fields,
    );
    expect(v.ok ? [] : v.issues.map((i) => `${i.path.join(".")}: ${i.code}`)).toEqual([
      "steps.a.action.fields.title: unknown_field",
      "steps.b.action.message: not_in_options",
      "steps.c.action.subject: invalid_value",
    ]);
  });

  it("cancels a waiting run and its timer", () => {
    const waiting: RunState = {
      status: "waiting",
      step: "x",
      wait: { kind: "timer", timerId: "t1", dueAt: "2026-01-01T00:00:00.000Z", next: null },
      stepsTaken: 1,
      reason: null,
    };
    const r = decide(w, waiting, { kind: "cancel", reason: "by admin" }, facts({}, T0), { runId: "r", seq: 1, nowMs: T0, timeZone: "UTC" });
    expect(r.commands).toEqual([{ type: "cancel_timer", timerId: "t1" }]);
    expect(r.state.status).toBe("cancelled");
  });
});

describe("publish-time validation", () => {
  it("lists every problem by path", () => {
    const v = validateWorkflow(
      {
        key: "broken",
        name: "Broken",
        object: "lead",
        trigger: { type: "record_updated", fields: ["scroe"] },
        conditions: {
          and: [
            { field: "score", op: "contains", value: "4" },
            { field: "company_id.industy", op: "eq", value: "x" },
            { field: "status", op: "eq", value: "hot" },
          ],
        },
        start: "a",
        steps: {
          a: { type: "branch", rules: [{ when: { field: "score", op: "gt", value: "high" }, next: "b" }], else: "ghost" },
          b: {
            type: "action",
            action: { type: "update_fields", fields: { last_activity_at: "2026-01-01T00:00:00Z", shoe: 1 } },
            next: "c",
          },
          c: { type: "action", action: { type: "change_score", by: 1 }, next: "a" },
          orphan: { type: "end" },
        },
      },
      fields,
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const lines = v.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
    expect(lines).toEqual([
      "trigger.fields.0: unknown_field",
      "conditions.and.0.op: not_in_options",
      "conditions.and.1.field: unknown_field",
      "conditions.and.2.value: not_in_options",
      "steps.a.rules.0.when.value: invalid_type",
      "steps.b.action.fields.last_activity_at: managed_field",
      "steps.b.action.fields.shoe: unknown_field",
      "steps.a.else: invalid_reference",
      "steps.orphan: invalid_value",
      "steps.c.next: invalid_value",
    ]);
    expect(v.issues.find((i) => i.path.join(".") === "steps.c.next")?.message).toBe("cycle without a delay or wait: a → b → c → a");
  });

  it("refuses malformed definitions with Zod's paths", () => {
    const v = validateWorkflow({ key: "x", name: "X", object: "widget", trigger: { type: "sometimes" }, start: "a", steps: {} }, fields);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["key", "object", "trigger.type"]));
  });

  it("accepts every recipe", () => {
    expect(() => load("recipes/speed-to-lead.json")).not.toThrow();
  });
});
