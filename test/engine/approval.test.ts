/**
 * The approval step through decide(): reaching it opens a request (or decides at once on an
 * automatic route) and waits; the request's outcome, a resubmission after a revision, the
 * timeout's timer, a cancel and a met goal each move the run, with the exact commands. The
 * people and the votes are the request machine's (approval-request.test.ts). Then the two new
 * inputs read back from storage, and the step's publish checks with their paths.
 */
import { describe, expect, it } from "vitest";
import type { CalendarSpec } from "../../src/crm/calendar/calendar.js";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow, factNeeds } from "../../src/engine/compile.js";
import type { Facts } from "../../src/engine/conditions.js";
import { type DecideContext, type Decision, decide, type RunInput } from "../../src/engine/decide.js";
import { describeInput, readRunInput } from "../../src/engine/run-input.js";
import { initialState, type RunState, running, waiting } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const T0 = Date.parse("2026-03-02T09:00:00Z");
const HOUR = 3_600_000;

const ROUTES = [
  {
    label: "Big discount",
    when: { field: "discount_pct", op: "gt", value: 20 },
    levels: [{ name: "VP Sales", approvers: [{ role: "manager" }] }],
  },
  { when: { field: "amount", op: "gt", value: 100000 }, levels: [{ name: "CFO", approvers: [{ user_id: "u-cfo" }] }] },
  { label: "Small", auto: "approve", notify: { manager_of: "owner_id" } },
];

/** A timeout spec. Its `then` key is written in one place: Biome refuses `then: "…"` in a literal as a thenable. */
const timeout = (then: string, rest: Record<string, unknown> = {}) => ({ ...rest, then });

/** A deal workflow whose first step is the approval; `approval` overrides the step's keys. */
function definition(approval: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    key: "deal-discount",
    name: "Deal discount",
    object: "deal",
    trigger: { type: "manual" },
    start: "approve",
    steps: {
      approve: {
        type: "approval",
        summary: "Discount of {{ record.discount_pct }}% on {{ record.name }}",
        fields: ["discount_pct", "amount"],
        routes: ROUTES,
        on_approved: "won",
        on_rejected: "lost",
        on_timeout: "expired",
        ...approval,
      },
      won: { type: "end" },
      lost: { type: "end" },
      expired: { type: "end" },
    },
    ...extra,
  };
}

function compile(def: unknown) {
  const v = validateWorkflow(def, fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues, null, 1));
  return compileWorkflow(v.definition);
}

type Workflow = ReturnType<typeof compile>;

function deal(record: Record<string, unknown>, nowMs = T0, extra: Partial<Facts> = {}): Facts {
  return { record: { id: "d1", name: "Acme renewal", owner_id: "u-sam", amount: 40000, ...record }, refs: {}, counts: {}, nowMs, ...extra };
}

const ctx = (seq: number, nowMs = T0): DecideContext => ({ runId: "run1", seq, nowMs, timeZone: "UTC" });

/** The step reached: the first decision of a run. */
const reach = (w: Workflow, f: Facts) => decide(w, initialState("approve"), { kind: "continue" }, f, ctx(1, f.nowMs));

/** A waiting state of the approval step: the run's state after `reach`. */
function pendingOf(d: Decision): RunState {
  expect(d.state).toMatchObject({ status: "waiting", step: "approve" });
  return d.state;
}

const unchanged = (state: RunState): Decision => ({ state, commands: [], log: null });
const settled = (requestId: string, status: "approved" | "rejected" | "revise", outcome = `${status} by Vera Vp`): RunInput => ({
  kind: "approval_settled",
  requestId,
  status,
  outcome,
});

describe("a single approval", () => {
  const w = compile(
    definition({
      routes: [{ levels: [{ name: "Sales manager", approvers: [{ manager_of: "owner_id" }] }] }],
      timeout: timeout("reject", { after: { hours: 48 } }),
    }),
  );

  it("opens the request with what is at stake, starts its timer and waits", () => {
    expect(reach(w, deal({ discount_pct: 12 }))).toEqual({
      state: waiting(
        "approve",
        { kind: "approval", requestId: "run1:1", round: 1, timerId: "run1:1", dueAt: "2026-03-04T09:00:00.000Z", escalations: 0 },
        1,
      ),
      commands: [
        {
          type: "open_approval",
          requestId: "run1:1",
          round: 1,
          previousId: null,
          summary: "Discount of 12% on Acme renewal",
          stake: [
            { field: "discount_pct", value: 12 },
            { field: "amount", value: 40000 },
          ],
          lock: "fields",
          route: "route 1: no other route matched",
          levels: [{ name: "Sales manager", require: "any", approvers: [{ manager_of: "owner_id" }] }],
          submitter: { field: "owner_id" },
          dueAt: "2026-03-04T09:00:00.000Z",
        },
        { type: "start_timer", timerId: "run1:1", dueAt: "2026-03-04T09:00:00.000Z" },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "waiting",
        why: "route 1 (no other route matched): asking Sales manager until 2026-03-04T09:00:00.000Z",
      },
    });
  });

  it("opens without a timer when the step has no timeout, a value not set at stake as null", () => {
    const plain = compile(definition({ routes: [{ levels: [{ approvers: [{ user_id: "u-cfo" }] }] }] }));
    const d = reach(plain, deal({}));
    expect(d.commands).toEqual([
      {
        type: "open_approval",
        requestId: "run1:1",
        round: 1,
        previousId: null,
        summary: "Discount of % on Acme renewal",
        stake: [
          { field: "discount_pct", value: null },
          { field: "amount", value: 40000 },
        ],
        lock: "fields",
        route: "route 1: no other route matched",
        levels: [{ name: "Level 1", require: "any", approvers: [{ user_id: "u-cfo" }] }],
        submitter: { field: "owner_id" },
        dueAt: null,
      },
    ]);
    expect(d.state.wait).toEqual({ kind: "approval", requestId: "run1:1", round: 1, timerId: null, dueAt: null, escalations: 0 });
  });

  it("follows on_approved when approved, cancelling the timer", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 12 })));
    expect(decide(w, pending, settled("run1:1", "approved", "approved by Mo Manager at 10:00"), deal({}), ctx(2))).toEqual({
      state: running("won", 1),
      commands: [{ type: "cancel_timer", timerId: "run1:1" }],
      log: { step: "approve", type: "approval", outcome: "approved", why: "approved by Mo Manager at 10:00" },
    });
  });

  it("follows on_rejected when rejected", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 12 })));
    expect(decide(w, pending, settled("run1:1", "rejected", "rejected by Mo Manager: no"), deal({}), ctx(2))).toEqual({
      state: running("lost", 1),
      commands: [{ type: "cancel_timer", timerId: "run1:1" }],
      log: { step: "approve", type: "approval", outcome: "rejected", why: "rejected by Mo Manager: no" },
    });
  });

  it("changes nothing for another request's outcome, a resubmission it does not wait for, or once it has moved on", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 12 })));
    expect(decide(w, pending, settled("run1:9", "approved"), deal({}), ctx(2))).toEqual(unchanged(pending));
    expect(decide(w, pending, { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "" }, deal({}), ctx(2))).toEqual(
      unchanged(pending),
    );
    const moved = decide(w, pending, settled("run1:1", "approved"), deal({}), ctx(2)).state;
    expect(decide(w, moved, settled("run1:1", "rejected"), deal({}), ctx(3))).toEqual(unchanged(moved));
    expect(decide(w, moved, { kind: "timer_fired", timerId: "run1:1" }, deal({}), ctx(3))).toEqual(unchanged(moved));
  });
});

describe("threshold routing", () => {
  const w = compile(definition());
  const openOf = (d: Decision) => d.commands.find((c) => c.type === "open_approval");

  it("sends a discount over 20 % to the VP Sales, whatever the amount", () => {
    const d = reach(w, deal({ discount_pct: 25, amount: 500000 }));
    expect(openOf(d)).toMatchObject({
      route: "Big discount: discount_pct (25) gt 20 → true",
      levels: [{ name: "VP Sales", require: "any", approvers: [{ role: "manager" }] }],
    });
    expect(d.log?.why).toBe("Big discount (discount_pct (25) gt 20 → true): asking VP Sales");
  });

  it("sends an amount over 100,000 with a small discount to the CFO", () => {
    const d = reach(w, deal({ discount_pct: 10, amount: 200000 }));
    expect(openOf(d)).toMatchObject({
      route: "route 2: amount (200000) gt 100000 → true",
      levels: [{ name: "CFO", require: "any", approvers: [{ user_id: "u-cfo" }] }],
    });
  });

  it("approves anything else at once, telling the owner's manager, and goes on", () => {
    expect(reach(w, deal({ discount_pct: 20, amount: 100000 }))).toEqual({
      state: running("won", 1),
      commands: [
        { type: "notify", to: { manager_of: "owner_id" }, message: "Automatically approved: Discount of 20% on Acme renewal (Small)" },
      ],
      log: { step: "approve", type: "approval", outcome: "auto_approved", why: "Small: no other route matched" },
    });
  });

  it("rejects at once on an auto-reject route, without notifying anyone it does not name", () => {
    const strict = compile(definition({ routes: [ROUTES[0], { auto: "reject" }] }));
    expect(reach(strict, deal({ discount_pct: 5 }))).toEqual({
      state: running("lost", 1),
      commands: [],
      log: { step: "approve", type: "approval", outcome: "auto_rejected", why: "route 2: no other route matched" },
    });
  });

  it("loads what a route's condition reads: a referenced record's field, a count", () => {
    const w2 = compile(
      definition({
        routes: [
          {
            when: {
              or: [
                { field: "company_id.industry", op: "eq", value: "Banking" },
                { count: { object: "ticket", via: "company_id", of: "company_id" }, op: "gt", value: 3 },
              ],
            },
            levels: [{ approvers: [{ user_id: "u-cfo" }] }],
          },
          { auto: "approve" },
        ],
      }),
    );
    const needs = factNeeds(w2);
    expect([...needs.refs]).toEqual(["company_id"]);
    expect(needs.counts).toMatchObject([{ object: "ticket", via: "company_id", of: "company_id" }]);
  });
});

describe("send back and resubmit", () => {
  const w = compile(definition({ max_rounds: 2, timeout: timeout("reject", { after: { hours: 24 } }) }));

  /** Round 1 at the VP Sales, sent back. */
  function sentBack() {
    const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
    return decide(w, pending, settled("run1:1", "revise", "sent back for revision by Vera Vp: 15 % at most"), deal({}), ctx(2));
  }

  it("waits for the submitter when sent back, cancelling the timeout and starting it again for the revision", () => {
    expect(sentBack()).toEqual({
      state: waiting(
        "approve",
        { kind: "revision", requestId: "run1:1", round: 1, timerId: "run1:1:revision", dueAt: "2026-03-03T09:00:00.000Z" },
        1,
      ),
      commands: [
        { type: "cancel_timer", timerId: "run1:1" },
        { type: "start_timer", timerId: "run1:1:revision", dueAt: "2026-03-03T09:00:00.000Z" },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "sent_back",
        why: "sent back for revision by Vera Vp: 15 % at most; waiting for the submitter to resubmit until 2026-03-03T09:00:00.000Z",
      },
    });
  });

  it("closes the request as timed out and takes on_timeout when the submitter does not resubmit in time", () => {
    const back = sentBack().state;
    const due = Date.parse("2026-03-03T09:00:00.000Z");
    const fired = decide(w, back, { kind: "timer_fired", timerId: "run1:1:revision" }, deal({}, due), ctx(3, due));
    expect(fired).toEqual({
      state: running("expired", 1),
      commands: [
        {
          type: "close_approval",
          requestId: "run1:1",
          status: "timed_out",
          outcome: "timed out: not resubmitted by 2026-03-03T09:00:00.000Z",
        },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "timed_out",
        why: "not resubmitted by 2026-03-03T09:00:00.000Z; taking the timeout path",
      },
    });
    // The approval's own (cancelled) timer firing late changes nothing.
    expect(decide(w, back, { kind: "timer_fired", timerId: "run1:1" }, deal({}, due), ctx(3, due))).toEqual(unchanged(back));
  });

  it("takes on_rejected when the revision times out and the step has no on_timeout — even a timeout that approves", () => {
    const def = definition({ on_timeout: undefined, timeout: timeout("approve", { after: { hours: 24 } }) });
    const { expired: _unreachable, ...steps } = def.steps;
    const approving = compile({ ...def, steps });
    const pending = pendingOf(reach(approving, deal({ discount_pct: 25 })));
    const back = decide(approving, pending, settled("run1:1", "revise"), deal({}), ctx(2)).state;
    const fired = decide(approving, back, { kind: "timer_fired", timerId: "run1:1:revision" }, deal({}), ctx(3));
    expect(fired.state).toEqual(running("lost", 1));
    expect(fired.commands).toEqual([
      {
        type: "close_approval",
        requestId: "run1:1",
        status: "timed_out",
        outcome: "timed out: not resubmitted by 2026-03-03T09:00:00.000Z",
      },
    ]);
    expect(fired.log?.why).toBe("not resubmitted by 2026-03-03T09:00:00.000Z; taking the rejected path");
  });

  it("waits for the resubmission without a deadline when the step has no timeout", () => {
    const plain = compile(definition({ max_rounds: 2 }));
    const pending = pendingOf(reach(plain, deal({ discount_pct: 25 })));
    expect(decide(plain, pending, settled("run1:1", "revise"), deal({}), ctx(2))).toMatchObject({
      state: waiting("approve", { kind: "revision", requestId: "run1:1", round: 1, timerId: null, dueAt: null }, 1),
      commands: [],
    });
  });

  it("waits without a deadline in a revision stored before it had one", () => {
    const stored = waiting("approve", { kind: "revision", requestId: "run1:1", round: 1 }, 1);
    expect(decide(w, stored, { kind: "timer_fired", timerId: "run1:1:revision" }, deal({}), ctx(3))).toEqual(unchanged(stored));
    const resubmit: RunInput = { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "" };
    expect(decide(w, stored, resubmit, deal({ discount_pct: 25 }), ctx(3)).commands.map((c) => c.type)).toEqual([
      "open_approval",
      "start_timer",
    ]);
  });

  it("asks again in round 2 when resubmitted, routed over the record as it is now", () => {
    const back = sentBack().state;
    const now = T0 + 2 * HOUR;
    const resubmit: RunInput = { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "22 % then" };
    const again = decide(w, back, resubmit, deal({ discount_pct: 22 }, now), ctx(3, now));
    expect(again.commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1:revision" },
      {
        type: "open_approval",
        requestId: "run1:3",
        round: 2,
        previousId: "run1:1",
        summary: "Discount of 22% on Acme renewal",
        stake: [
          { field: "discount_pct", value: 22 },
          { field: "amount", value: 40000 },
        ],
        lock: "fields",
        route: "Big discount: discount_pct (22) gt 20 → true",
        levels: [{ name: "VP Sales", require: "any", approvers: [{ role: "manager" }] }],
        submitter: { field: "owner_id" },
        dueAt: "2026-03-03T11:00:00.000Z",
      },
      { type: "start_timer", timerId: "run1:3", dueAt: "2026-03-03T11:00:00.000Z" },
    ]);
    expect(again.state).toEqual(
      waiting(
        "approve",
        { kind: "approval", requestId: "run1:3", round: 2, timerId: "run1:3", dueAt: "2026-03-03T11:00:00.000Z", escalations: 0 },
        2,
      ),
    );
    expect(again.log?.why).toBe("Big discount (discount_pct (22) gt 20 → true): asking VP Sales, round 2 until 2026-03-03T11:00:00.000Z");
  });

  it("goes round the loop twice: sent back, resubmitted, sent back, resubmitted, then approved in round 3", () => {
    const three = compile(definition({ max_rounds: 3 }));
    const resubmit = (requestId: string, comment: string): RunInput => ({ kind: "approval_resubmitted", requestId, by: "u-sam", comment });
    const round1 = pendingOf(reach(three, deal({ discount_pct: 30 })));
    const back1 = decide(three, round1, settled("run1:1", "revise", "sent back by Vera Vp: 30 % is too much"), deal({}), ctx(2));
    expect(back1.state).toEqual(waiting("approve", { kind: "revision", requestId: "run1:1", round: 1, timerId: null, dueAt: null }, 1));
    expect(back1.commands).toEqual([]);
    const round2 = decide(three, back1.state, resubmit("run1:1", "25 %"), deal({ discount_pct: 25 }), ctx(3));
    expect(round2.commands).toEqual([
      expect.objectContaining({
        type: "open_approval",
        requestId: "run1:3",
        round: 2,
        previousId: "run1:1",
        summary: "Discount of 25% on Acme renewal",
      }),
    ]);
    const back2 = decide(
      three,
      round2.state,
      settled("run1:3", "revise", "sent back by Vera Vp: 22 % and a two-year term"),
      deal({}),
      ctx(4),
    );
    expect(back2.state).toEqual(waiting("approve", { kind: "revision", requestId: "run1:3", round: 2, timerId: null, dueAt: null }, 2));
    const round3 = decide(three, back2.state, resubmit("run1:3", "22 %, two years"), deal({ discount_pct: 22 }), ctx(5));
    expect(round3.commands).toEqual([
      expect.objectContaining({
        type: "open_approval",
        requestId: "run1:5",
        round: 3,
        previousId: "run1:3",
        summary: "Discount of 22% on Acme renewal",
      }),
    ]);
    expect(round3.state).toEqual(
      waiting("approve", { kind: "approval", requestId: "run1:5", round: 3, timerId: null, dueAt: null, escalations: 0 }, 3),
    );
    expect(decide(three, round3.state, settled("run1:5", "approved", "approved by Vera Vp"), deal({}), ctx(6))).toEqual({
      state: running("won", 3),
      commands: [],
      log: { step: "approve", type: "approval", outcome: "approved", why: "approved by Vera Vp" },
    });
  });

  it("takes the automatic route when the resubmitted discount is 20 % or less", () => {
    const back = sentBack().state;
    const resubmit: RunInput = { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "15 %" };
    expect(decide(w, back, resubmit, deal({ discount_pct: 15 }), ctx(3))).toEqual({
      state: running("won", 2),
      commands: [
        { type: "cancel_timer", timerId: "run1:1:revision" },
        { type: "notify", to: { manager_of: "owner_id" }, message: "Automatically approved: Discount of 15% on Acme renewal (Small)" },
      ],
      log: { step: "approve", type: "approval", outcome: "auto_approved", why: "Small: no other route matched" },
    });
  });

  it("fails the step, saying why, when the new round's summary does not render over the changed record", () => {
    // Renders over a small amount; the resubmitted amount makes the range exceed the sandbox's memory.
    const counted = compile(
      definition({
        summary: "{% for i in (1..record.amount) %}.{% endfor %}",
        routes: [{ levels: [{ approvers: [{ user_id: "u-cfo" }] }] }],
      }),
    );
    const pending = pendingOf(reach(counted, deal({ amount: 3 })));
    const back = decide(counted, pending, settled("run1:1", "revise"), deal({}), ctx(2)).state;
    const resubmit: RunInput = { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "" };
    expect(decide(counted, back, resubmit, deal({ amount: 100_000_000 }), ctx(3))).toEqual({
      state: { status: "failed", step: "approve", wait: null, stepsTaken: 1, reason: "memory alloc limit exceeded, line:1, col:1" },
      // The request sent back is closed with the run: nobody can resubmit it any more.
      commands: [
        {
          type: "close_approval",
          requestId: "run1:1",
          status: "cancelled",
          outcome: "cancelled: the run failed: memory alloc limit exceeded, line:1, col:1",
        },
      ],
      log: { step: "approve", type: "approval", outcome: "failed", why: "memory alloc limit exceeded, line:1, col:1" },
    });
  });

  it("rejects a send-back in the last round max_rounds allows, closing the request, instead of waiting for a resubmission", () => {
    const back = sentBack().state;
    const resubmit = (requestId: string): RunInput => ({ kind: "approval_resubmitted", requestId, by: "u-sam", comment: "" });
    const round2 = decide(w, back, resubmit("run1:1"), deal({ discount_pct: 25 }), ctx(3));
    // A resubmission of the old request while the new one is pending changes nothing.
    expect(decide(w, round2.state, resubmit("run1:1"), deal({}), ctx(4))).toEqual(unchanged(round2.state));
    expect(
      decide(w, round2.state, settled("run1:3", "revise", "sent back for revision by Vera Vp: still too much"), deal({}), ctx(4)),
    ).toEqual({
      state: running("lost", 2),
      commands: [
        { type: "cancel_timer", timerId: "run1:3" },
        {
          type: "close_approval",
          requestId: "run1:3",
          status: "rejected",
          outcome: "sent back 2 times; max_rounds (2) reached — rejected",
        },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "rejected",
        why: "sent back for revision by Vera Vp: still too much; sent back 2 times; max_rounds (2) reached — rejected",
      },
    });
  });

  it("rejects a resubmission beyond max_rounds of a run already waiting in its last round, closing the request", () => {
    // Stored before a last-round send-back was rejected at once: round 2 of 2 waiting for a resubmission.
    const stored = waiting("approve", { kind: "revision", requestId: "run1:3", round: 2 }, 2);
    const resubmit = (requestId: string): RunInput => ({ kind: "approval_resubmitted", requestId, by: "u-sam", comment: "" });
    expect(decide(w, stored, resubmit("run1:1"), deal({}), ctx(5))).toEqual(unchanged(stored));
    expect(decide(w, stored, resubmit("run1:3"), deal({ discount_pct: 25 }), ctx(5))).toEqual({
      state: running("lost", 2),
      commands: [
        {
          type: "close_approval",
          requestId: "run1:3",
          status: "rejected",
          outcome: "sent back 2 times; max_rounds (2) reached — rejected",
        },
      ],
      log: { step: "approve", type: "approval", outcome: "rejected", why: "sent back 2 times; max_rounds (2) reached — rejected" },
    });
  });
});

describe("timeouts", () => {
  const escalating = compile(
    definition({ timeout: timeout("escalate", { after: { hours: 48 }, escalate_to: [{ user_id: "u-ceo" }], escalations: 2 }) }),
  );
  const fire = (w: Workflow, state: RunState, timerId: string, nowMs: number, seq: number) =>
    decide(w, state, { kind: "timer_fired", timerId }, deal({ discount_pct: 25 }, nowMs), ctx(seq, nowMs));

  it("escalates on each timeout while escalations are left, then closes the request and takes on_timeout", () => {
    const pending = pendingOf(reach(escalating, deal({ discount_pct: 25 })));
    const first = fire(escalating, pending, "run1:1", T0 + 48 * HOUR, 2);
    expect(first).toEqual({
      state: waiting(
        "approve",
        { kind: "approval", requestId: "run1:1", round: 1, timerId: "run1:1:e1", dueAt: "2026-03-06T09:00:00.000Z", escalations: 1 },
        1,
      ),
      commands: [
        { type: "escalate_approval", requestId: "run1:1", to: [{ user_id: "u-ceo" }] },
        { type: "start_timer", timerId: "run1:1:e1", dueAt: "2026-03-06T09:00:00.000Z" },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "escalated",
        why: "no decision by 2026-03-04T09:00:00.000Z; escalated (1 of 2) until 2026-03-06T09:00:00.000Z",
      },
    });
    // The first timer again (a late duplicate) is not the one the run waits for now.
    expect(fire(escalating, first.state, "run1:1", T0 + 49 * HOUR, 3)).toEqual(unchanged(first.state));

    const second = fire(escalating, first.state, "run1:1:e1", T0 + 96 * HOUR, 3);
    expect(second.commands).toEqual([
      { type: "escalate_approval", requestId: "run1:1", to: [{ user_id: "u-ceo" }] },
      { type: "start_timer", timerId: "run1:1:e2", dueAt: "2026-03-08T09:00:00.000Z" },
    ]);
    expect(second.state.wait).toMatchObject({ timerId: "run1:1:e2", escalations: 2 });

    expect(fire(escalating, second.state, "run1:1:e2", T0 + 144 * HOUR, 4)).toEqual({
      state: running("expired", 1),
      commands: [
        { type: "close_approval", requestId: "run1:1", status: "timed_out", outcome: "timed out: no decision by 2026-03-08T09:00:00.000Z" },
      ],
      log: {
        step: "approve",
        type: "approval",
        outcome: "timed_out",
        why: "no decision by 2026-03-08T09:00:00.000Z; taking the timeout path",
      },
    });
  });

  it("cancels the escalation's timer when someone decides after the escalation", () => {
    const pending = pendingOf(reach(escalating, deal({ discount_pct: 25 })));
    const first = fire(escalating, pending, "run1:1", T0 + 48 * HOUR, 2);
    expect(decide(escalating, first.state, settled("run1:1", "approved", "approved by Cé Ceo"), deal({}), ctx(3))).toEqual({
      state: running("won", 1),
      commands: [{ type: "cancel_timer", timerId: "run1:1:e1" }],
      log: { step: "approve", type: "approval", outcome: "approved", why: "approved by Cé Ceo" },
    });
  });

  it("approves, rejects or takes the path when the timeout says so", () => {
    const outcome = (then: string) => {
      const w = compile(definition({ timeout: timeout(then, { after: { hours: 1 } }) }));
      const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
      return fire(w, pending, "run1:1", T0 + HOUR, 2);
    };
    const since = "no decision by 2026-03-02T10:00:00.000Z";
    expect(outcome("approve")).toEqual({
      state: running("won", 1),
      commands: [{ type: "close_approval", requestId: "run1:1", status: "approved", outcome: `approved automatically: ${since}` }],
      log: { step: "approve", type: "approval", outcome: "auto_approved", why: `${since}; the timeout approves` },
    });
    expect(outcome("reject")).toEqual({
      state: running("lost", 1),
      commands: [{ type: "close_approval", requestId: "run1:1", status: "rejected", outcome: `rejected automatically: ${since}` }],
      log: { step: "approve", type: "approval", outcome: "auto_rejected", why: `${since}; the timeout rejects` },
    });
    expect(outcome("path")).toEqual({
      state: running("expired", 1),
      commands: [{ type: "close_approval", requestId: "run1:1", status: "timed_out", outcome: `timed out: ${since}` }],
      log: { step: "approve", type: "approval", outcome: "timed_out", why: `${since}; taking the timeout path` },
    });
  });

  describe("in business time on a calendar in the facts", () => {
    const PARIS: CalendarSpec = {
      timeZone: "Europe/Paris",
      hours: {
        mon: [["09:00", "17:00"]],
        tue: [["09:00", "17:00"]],
        wed: [["09:00", "17:00"]],
        thu: [["09:00", "17:00"]],
        fri: [["09:00", "17:00"]],
      },
      holidays: { country: "FR" },
      closedDates: [],
    };
    const w = compile(
      definition({
        timeout: timeout("escalate", { business: { hours: 4, calendar: { name: "Deal desk" } }, escalate_to: [{ role: "admin" }] }),
      }),
    );
    const onCalendar = (nowMs: number, calendar: CalendarSpec | null = PARIS) =>
      deal({ discount_pct: 25 }, nowMs, { calendars: { "name:Deal desk": calendar } });

    it("is due after 4 business hours, across the night and a holiday; the escalation counts again from its instant", () => {
      // Thursday 2026-12-24 15:00 CET: 2 h that day, Friday is Noël, Monday 09:00 + 2 h = 11:00 CET.
      const now = Date.parse("2026-12-24T14:00:00Z");
      const d = reach(w, onCalendar(now));
      expect(d.commands.at(-1)).toEqual({ type: "start_timer", timerId: "run1:1", dueAt: "2026-12-28T10:00:00.000Z" });
      expect(d.state.wait).toMatchObject({ dueAt: "2026-12-28T10:00:00.000Z" });
      const due = Date.parse("2026-12-28T10:00:00Z");
      const escalated = decide(w, d.state, { kind: "timer_fired", timerId: "run1:1" }, onCalendar(due), ctx(2, due));
      // Monday 11:00 CET + 4 h = 15:00 CET.
      expect(escalated.commands).toEqual([
        { type: "escalate_approval", requestId: "run1:1", to: [{ role: "admin" }] },
        { type: "start_timer", timerId: "run1:1:e1", dueAt: "2026-12-28T14:00:00.000Z" },
      ]);
    });

    it("names the calendar among the workflow's needs", () => {
      expect(factNeeds(w).calendars).toEqual([{ name: "Deal desk" }]);
    });

    it("fails the step when the calendar is gone, opening nothing", () => {
      expect(reach(w, onCalendar(T0, null))).toEqual({
        state: { status: "failed", step: "approve", wait: null, stepsTaken: 1, reason: 'the calendar "Deal desk" does not exist' },
        commands: [],
        log: { step: "approve", type: "approval", outcome: "failed", why: 'the calendar "Deal desk" does not exist' },
      });
    });

    it("fails the run and closes the pending request when the calendar is gone by the escalation", () => {
      const pending = pendingOf(reach(w, onCalendar(T0)));
      const due = T0 + 4 * HOUR;
      const gone = decide(w, pending, { kind: "timer_fired", timerId: "run1:1" }, onCalendar(due, null), ctx(2, due));
      expect(gone).toEqual({
        state: { status: "failed", step: "approve", wait: null, stepsTaken: 1, reason: 'the calendar "Deal desk" does not exist' },
        commands: [
          {
            type: "close_approval",
            requestId: "run1:1",
            status: "cancelled",
            outcome: 'cancelled: the step failed: the calendar "Deal desk" does not exist',
          },
        ],
        log: { step: "approve", type: "approval", outcome: "failed", why: 'the calendar "Deal desk" does not exist' },
      });
    });
  });
});

describe("a pending request when the run ends otherwise", () => {
  const w = compile(
    definition(
      { timeout: timeout("reject", { after: { hours: 48 } }) },
      { goal: { field: "stage", op: "in", value: ["closed_won", "closed_lost"] } },
    ),
  );

  it("is closed as cancelled, with its timer, when the run is cancelled or its record deleted", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
    expect(decide(w, pending, { kind: "cancel", reason: "cancelled by user u-admin" }, deal({}), ctx(2))).toEqual({
      state: { status: "cancelled", step: "approve", wait: null, stepsTaken: 1, reason: "cancelled by user u-admin" },
      commands: [
        { type: "cancel_timer", timerId: "run1:1" },
        { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: cancelled by user u-admin" },
      ],
      log: { step: "approve", type: "cancel", outcome: "cancelled", why: "cancelled by user u-admin" },
    });
    expect(decide(w, pending, { kind: "record_deleted" }, deal({}), ctx(2)).commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1" },
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: the record was deleted" },
    ]);
  });

  it("is closed without a timer to cancel when the step has no timeout", () => {
    const plain = compile(definition());
    const pending = pendingOf(reach(plain, deal({ discount_pct: 25 })));
    expect(decide(plain, pending, { kind: "cancel", reason: "stop" }, deal({}), ctx(2)).commands).toEqual([
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: stop" },
    ]);
  });

  it("is closed as cancelled when the goal is met meanwhile", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
    const won = deal({ discount_pct: 25, stage: "closed_won" }, T0 + HOUR, {
      changes: [{ field: "stage", old: "proposal", new: "closed_won" }],
    });
    expect(decide(w, pending, { kind: "record_changed" }, won, ctx(2, T0 + HOUR))).toEqual({
      state: { status: "exited", step: "approve", wait: null, stepsTaken: 1, reason: "goal met" },
      commands: [
        { type: "cancel_timer", timerId: "run1:1" },
        { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: goal met" },
      ],
      log: { step: "approve", type: "goal", outcome: "exited", why: 'stage ("closed_won") in ["closed_won","closed_lost"] → true' },
    });
    // Any other change leaves the request pending.
    const edited = deal({ discount_pct: 25, name: "Acme" }, T0 + HOUR);
    expect(decide(w, pending, { kind: "record_changed" }, edited, ctx(2, T0 + HOUR))).toEqual(unchanged(pending));
  });

  it("closes a request sent back, with the revision's timer, when the run is cancelled, its record deleted or its goal met", () => {
    // Otherwise it would stay "revise", offering its submitter a resubmit nothing waits for.
    const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
    const back = decide(w, pending, settled("run1:1", "revise"), deal({}), ctx(2)).state;
    expect(decide(w, back, { kind: "cancel", reason: "stop" }, deal({}), ctx(3)).commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1:revision" },
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: stop" },
    ]);
    expect(decide(w, back, { kind: "record_deleted" }, deal({}), ctx(3)).commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1:revision" },
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: the record was deleted" },
    ]);
    const won = deal({ discount_pct: 25, stage: "closed_won" }, T0 + HOUR, {
      changes: [{ field: "stage", old: "proposal", new: "closed_won" }],
    });
    expect(decide(w, back, { kind: "record_changed" }, won, ctx(3, T0 + HOUR)).commands).toEqual([
      { type: "cancel_timer", timerId: "run1:1:revision" },
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: goal met" },
    ]);
    // The approval's own timer, cancelled at the send-back, changes nothing if it fires late.
    expect(decide(w, back, { kind: "timer_fired", timerId: "run1:1" }, deal({}), ctx(3))).toEqual(unchanged(back));
  });

  it("closes the pending request, and no timer, when the run fails (a command that could not be carried out)", () => {
    const pending = pendingOf(reach(w, deal({ discount_pct: 25 })));
    expect(decide(w, pending, { kind: "failed", error: "gave up after 5 attempts: boom" }, deal({}), ctx(2))).toEqual({
      state: { status: "failed", step: "approve", wait: null, stepsTaken: 1, reason: "gave up after 5 attempts: boom" },
      // The failing item may be the timer itself: cancelling it would fence out its completion.
      commands: [
        {
          type: "close_approval",
          requestId: "run1:1",
          status: "cancelled",
          outcome: "cancelled: the run failed: gave up after 5 attempts: boom",
        },
      ],
      log: { step: "approve", type: "error", outcome: "failed", why: "gave up after 5 attempts: boom" },
    });
    const back = decide(w, pending, settled("run1:1", "revise"), deal({}), ctx(2)).state;
    expect(decide(w, back, { kind: "failed", error: "no such user" }, deal({}), ctx(3)).commands).toEqual([
      { type: "close_approval", requestId: "run1:1", status: "cancelled", outcome: "cancelled: the run failed: no such user" },
    ]);
    // A run failing before it opened a request (its open_approval was not carried out) owes nothing.
    expect(decide(w, running("approve", 1), { kind: "failed", error: "nobody can decide it" }, deal({}), ctx(1)).commands).toEqual([]);
  });
});

describe("the approval inputs, stored and read back", () => {
  const written: RunInput[] = [
    { kind: "approval_settled", requestId: "run1:1", status: "approved", outcome: "approved by Vera Vp" },
    { kind: "approval_settled", requestId: "run1:1", status: "rejected", outcome: "rejected by Vera Vp: no" },
    { kind: "approval_settled", requestId: "run1:1", status: "revise", outcome: "sent back for revision by Vera Vp" },
    { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam", comment: "15 % now" },
  ];

  it("reads each as written, through JSON, and says it in words", () => {
    for (const input of written) expect(readRunInput(JSON.parse(JSON.stringify(input)))).toEqual(input);
    expect(written.map(describeInput)).toEqual([
      "approval run1:1 approved",
      "approval run1:1 rejected",
      "approval run1:1 sent back",
      "approval run1:1 resubmitted",
    ]);
  });

  it("turns a malformed one into a failure of the run that names it", () => {
    for (const bad of [
      { kind: "approval_settled", requestId: "run1:1", status: "timed_out", outcome: "x" },
      { kind: "approval_settled", requestId: 1, status: "approved", outcome: "x" },
      { kind: "approval_settled", requestId: "run1:1", status: "approved" },
      { kind: "approval_resubmitted", requestId: "run1:1", by: "u-sam" },
      { kind: "approval_resubmitted", requestId: "run1:1", by: null, comment: "" },
    ]) {
      const read = readRunInput(bad);
      expect(read).toEqual({ kind: "failed", error: `unreadable input: ${JSON.stringify(bad)}` });
    }
  });
});

describe("publish checks of an approval step", () => {
  const issues = (approval: Record<string, unknown>) => {
    const v = validateWorkflow(definition(approval), fields);
    return v.ok ? [] : v.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };
  const at = "steps.approve";

  it("accepts the routing example", () => {
    expect(issues({})).toEqual([]);
  });

  it("wants an approver in every level, and no more required than there are", () => {
    expect(issues({ routes: [{ levels: [{ approvers: [] }] }] })).toEqual([
      { path: `${at}.routes.0.levels.0.approvers`, message: "a level needs at least one approver" },
    ]);
    expect(issues({ routes: [{ levels: [] }] })).toEqual([
      { path: `${at}.routes.0.levels`, message: "a route needs at least one level of approvers" },
    ]);
    expect(issues({ routes: [{ levels: [{ approvers: [{ user_id: "u1" }, { user_id: "u2" }], require: 3 }] }] })).toEqual([
      { path: `${at}.routes.0.levels.0.require`, message: "a level cannot need 3 of 2 approvers" },
    ]);
    // A role stands for as many people as have it: counted only when the request opens.
    expect(issues({ routes: [{ levels: [{ approvers: [{ role: "manager" }], require: 3 }] }] })).toEqual([]);
  });

  it("names an unknown role where it is, with the roles there are", () => {
    expect(issues({ routes: [{ levels: [{ approvers: [{ role: "boss" }] }] }] })).toEqual([
      {
        path: `${at}.routes.0.levels.0.approvers.0.role`,
        message: 'Invalid option: expected one of "admin"|"manager"|"rep"|"integration"',
      },
    ]);
  });

  it("checks each route's condition, and fields naming users", () => {
    expect(
      issues({
        routes: [
          { when: { field: "margin_pct", op: "gt", value: 20 }, levels: [{ approvers: [{ manager_of: "name" }] }] },
          { auto: "approve" },
        ],
      }),
    ).toEqual([
      { path: `${at}.routes.0.when.field`, message: 'deal has no field "margin_pct"' },
      { path: `${at}.routes.0.levels.0.approvers.0.manager_of`, message: '"name" does not point at a user' },
    ]);
    expect(issues({ fields: ["discount"], submitter: { field: "owner" } })).toEqual([
      { path: `${at}.fields.0`, message: 'deal has no field "discount"' },
      { path: `${at}.submitter.field`, message: 'deal has no field "owner"' },
    ]);
  });

  it("wants the last route, and only it, without a condition", () => {
    expect(issues({ routes: [ROUTES[0]] })).toEqual([
      { path: `${at}.routes.0.when`, message: "the last route has no condition: it is the default when no other matches" },
    ]);
    expect(issues({ routes: [{ auto: "approve" }, ROUTES[0], { auto: "reject" }] })).toEqual([
      { path: `${at}.routes.0.when`, message: "only the last route may have no condition (it is the default)" },
    ]);
  });

  it("wants either levels or auto on a route", () => {
    const both = { levels: [{ approvers: [{ user_id: "u1" }] }], auto: "approve" };
    expect(issues({ routes: [both] })).toEqual([
      { path: `${at}.routes.0`, message: "a route has either levels of approvers or auto: approve / reject" },
    ]);
    expect(issues({ routes: [{ label: "nothing" }] })).toEqual([
      { path: `${at}.routes.0`, message: "a route has either levels of approvers or auto: approve / reject" },
    ]);
  });

  it("wants an escalation to name who, and a timeout path to go to", () => {
    expect(issues({ timeout: timeout("escalate", { after: { hours: 4 } }) })).toEqual([
      { path: `${at}.timeout.escalate_to`, message: "a timeout that escalates names who it escalates to" },
    ]);
    expect(
      issues({ on_timeout: undefined, timeout: timeout("escalate", { after: { hours: 4 }, escalate_to: [{ user_id: "u-ceo" }] }) }),
    ).toEqual([
      { path: `${at}.on_timeout`, message: "a timeout with then = escalate needs an on_timeout path" },
      { path: "steps.expired", message: 'step "expired" cannot be reached from "approve"' },
    ]);
    expect(issues({ on_timeout: undefined, timeout: timeout("path", { after: { hours: 4 } }) })[0]).toEqual({
      path: `${at}.on_timeout`,
      message: "a timeout with then = path needs an on_timeout path",
    });
  });

  it("wants a timeout of one kind, more than zero", () => {
    expect(issues({ timeout: timeout("reject") })).toEqual([
      { path: `${at}.timeout`, message: "a timeout has exactly one of after (absolute time) and business (business time)" },
    ]);
    expect(issues({ timeout: timeout("reject", { after: { hours: 0 } }) })).toEqual([
      { path: `${at}.timeout.after`, message: "the timeout must be more than zero" },
    ]);
    expect(issues({ timeout: timeout("reject", { business: { days: 1, hours: 2 } }) })).toEqual([
      { path: `${at}.timeout.business`, message: "business time is either days or hours — not both" },
    ]);
    // Zero days beside hours would wait zero days (days win): refused like a delay's.
    expect(issues({ timeout: timeout("reject", { business: { days: 0, hours: 4 } }) })).toEqual([
      { path: `${at}.timeout.business`, message: "business time is either days or hours — not both" },
    ]);
    expect(issues({ timeout: timeout("reject", { business: {} }) })).toEqual([
      { path: `${at}.timeout.business`, message: "business time must be more than zero: set hours or days" },
    ]);
  });

  it("is refused in a workflow that runs when the record is deleted, at the step's path", () => {
    const v = validateWorkflow(definition({}, { trigger: { type: "record_deleted" } }), fields);
    expect(v.ok ? [] : v.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message }))).toEqual([
      {
        path: at,
        code: "invalid_value",
        message:
          "an approval step asks people to decide about the deal, but this workflow runs when the deal is deleted: the record is gone, there is nothing left to approve or lock (notify someone or create a task instead)",
      },
    ]);
  });

  it("points a path that leads nowhere at its field", () => {
    expect(issues({ on_approved: "nowhere" })).toEqual([
      { path: `${at}.on_approved`, message: 'no step "nowhere"' },
      { path: "steps.won", message: 'step "won" cannot be reached from "approve"' },
    ]);
  });
});
