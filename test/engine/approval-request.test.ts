/**
 * The approval request as a pure state machine: who decides each level (no self-approval,
 * delegates for people who are away, each person once), the votes counted for any / all / N of M,
 * levels in sequence, escalation, a close from outside, and the refusals with their words. Each
 * transition is compared whole: the state the runtime stores and the effects it carries out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ApprovalDecision,
  type Approver,
  type Candidate,
  decideRequest,
  type LevelPlan,
  openRequest,
  pickApprovers,
  type RequestEffect,
  type RequestState,
  type Transition,
} from "../../src/engine/approval/request.js";

const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, "0")}:00.000Z`;
const person = (userId: string, name: string, why = `${name}, role manager`): Candidate => ({ userId, name, why });
const approver = (c: Candidate, extra: Partial<Approver> = {}): Approver => ({
  userId: c.userId,
  name: c.name,
  why: c.why,
  onBehalfOf: null,
  escalated: false,
  ...extra,
});

const SAM = person("u-sam", "Sam Rep", "the record's owner_id");
const VERA = person("u-vera", "Vera Vp");
const VIC = person("u-vic", "Victor Vp");
const VAL = person("u-val", "Valérie Vp");
const CARL = person("u-carl", "Carla Cfo", "user u-carl");
const CEO = person("u-ceo", "Cé Ceo", "user u-ceo");
const DEE = person("u-dee", "Dee Deputy");

/** Opens a request that must open, for the tests of what follows. */
function open(levels: LevelPlan[], submitterId: string | null = SAM.userId) {
  const opened = openRequest(levels, submitterId);
  if (typeof opened === "string") throw new Error(opened);
  return opened;
}

/** A transition that must be accepted. */
function accepted(t: Transition): { state: RequestState; effects: RequestEffect[] } {
  if (!t.ok) throw new Error(`${t.code}: ${t.reason}`);
  return t;
}

const vote = (userId: string, decision: ApprovalDecision, minute: number, comment = "") =>
  ({ kind: "vote", userId, decision, comment, at: at(minute) }) as const;

describe("who decides a level", () => {
  it("never the submitter, and each person once, saying who was left out", () => {
    expect(pickApprovers([VERA, SAM, VIC, VERA], SAM.userId)).toEqual({
      approvers: [approver(VERA), approver(VIC)],
      notes: ["Sam Rep submitted the request and may not approve it"],
    });
  });

  it("a delegate for someone who is away and named one; the away person when they named none", () => {
    const away = { ...VERA, away: { until: "2026-03-09", delegateId: DEE.userId, delegateName: DEE.name } };
    const awayAlone = { ...VIC, away: { until: "2026-03-06", delegateId: null, delegateName: null } };
    expect(pickApprovers([away, awayAlone], SAM.userId)).toEqual({
      approvers: [
        {
          userId: "u-dee",
          name: "Dee Deputy",
          why: "delegate of Vera Vp, away until 2026-03-09",
          onBehalfOf: { userId: "u-vera", name: "Vera Vp" },
          escalated: false,
        },
        { ...approver(VIC), why: VIC.why },
      ],
      notes: ["Victor Vp is away until 2026-03-06 and named no delegate"],
    });
  });

  it("not a delegate who is the submitter: the away approver stays", () => {
    const away = { ...VERA, away: { until: "2026-03-09", delegateId: SAM.userId, delegateName: SAM.name } };
    expect(pickApprovers([away], SAM.userId)).toEqual({
      approvers: [approver(VERA)],
      notes: ["Vera Vp is away until 2026-03-09; their delegate Sam Rep submitted the request and may not decide it"],
    });
  });

  it("a delegate who is already an approver decides once", () => {
    const away = { ...VERA, away: { until: "2026-03-09", delegateId: VIC.userId, delegateName: VIC.name } };
    const picked = pickApprovers([away, VIC], SAM.userId);
    expect(picked.approvers.map((a) => [a.userId, a.onBehalfOf?.userId ?? null])).toEqual([["u-vic", "u-vera"]]);
  });
});

describe("opening a request", () => {
  it("picks every level's approvers and asks the first level", () => {
    const opened = open([
      { name: "VP Sales", require: 2, candidates: [VERA, VIC, VAL] },
      { name: "Finance", require: "all", candidates: [CARL, CEO] },
    ]);
    expect(opened).toEqual({
      state: {
        status: "pending",
        level: 0,
        levels: [
          { name: "VP Sales", require: 2, approvers: [approver(VERA), approver(VIC), approver(VAL)], votes: [], status: "pending" },
          { name: "Finance", require: "all", approvers: [approver(CARL), approver(CEO)], votes: [], status: "waiting" },
        ],
        submitterId: "u-sam",
        outcome: null,
        settledAt: null,
        escalations: 0,
      },
      effects: [{ type: "ask", level: 0, approvers: [approver(VERA), approver(VIC), approver(VAL)] }],
      notes: [],
    });
  });

  it("refuses a level left with fewer approvers than it needs, naming the level and why", () => {
    expect(openRequest([{ name: "VP Sales", require: 2, candidates: [VERA, SAM] }], SAM.userId)).toBe(
      'level "VP Sales" needs 2 approvers but has 1 (Sam Rep submitted the request and may not approve it)',
    );
    expect(
      openRequest(
        [
          { name: "VP Sales", require: "any", candidates: [VERA] },
          { name: "Finance", require: "all", candidates: [SAM] },
        ],
        SAM.userId,
      ),
    ).toBe('level "Finance" needs 1 approver but has 0 (Sam Rep submitted the request and may not approve it)');
    expect(openRequest([{ name: "CFO", require: "any", candidates: [] }], SAM.userId)).toBe('level "CFO" needs 1 approver but has 0');
    expect(openRequest([], SAM.userId)).toBe("the route has no levels");
  });
});

describe("votes", () => {
  const twoLevels = () =>
    open([
      { name: "VP Sales", require: 2, candidates: [VERA, VIC, VAL] },
      { name: "Finance", require: "all", candidates: [CARL, CEO] },
    ]);

  it("two levels, 2 of 3 then all: counted in order, the second level asked once the first approves, settled on the last", () => {
    const opened = twoLevels();
    const first = accepted(decideRequest(opened.state, vote("u-vic", "approve", 1, "fine by me")));
    expect(first.effects).toEqual([]);
    expect(first.state.level).toBe(0);
    expect(first.state.levels[0]?.votes).toEqual([
      { userId: "u-vic", name: "Victor Vp", onBehalfOf: null, decision: "approve", comment: "fine by me", at: at(1) },
    ]);

    const second = accepted(decideRequest(first.state, vote("u-val", "approve", 2)));
    expect(second.effects).toEqual([{ type: "ask", level: 1, approvers: [approver(CARL), approver(CEO)] }]);
    expect(second.state.level).toBe(1);
    expect(second.state.levels.map((l) => l.status)).toEqual(["approved", "pending"]);
    expect(second.state.status).toBe("pending");

    // Vera is of level one, which is decided: level two is asked now.
    expect(decideRequest(second.state, vote("u-vera", "approve", 3))).toMatchObject({ ok: false, code: "not_approver" });

    const third = accepted(decideRequest(second.state, vote("u-carl", "approve", 4)));
    expect(third.effects).toEqual([]);
    const last = accepted(decideRequest(third.state, vote("u-ceo", "approve", 5, "go")));
    expect(last.effects).toEqual([{ type: "settled", status: "approved", outcome: `approved by Cé Ceo at ${at(5)}: go` }]);
    expect(last.state).toMatchObject({
      status: "approved",
      level: 1,
      outcome: `approved by Cé Ceo at ${at(5)}: go`,
      settledAt: at(5),
    });
    expect(last.state.levels.map((l) => [l.status, l.votes.map((v) => v.userId)])).toEqual([
      ["approved", ["u-vic", "u-val"]],
      ["approved", ["u-carl", "u-ceo"]],
    ]);
  });

  it("a rejection or a send-back settles at once, whatever the count", () => {
    const opened = twoLevels();
    const one = accepted(decideRequest(opened.state, vote("u-vic", "approve", 1)));
    const rejected = accepted(decideRequest(one.state, vote("u-vera", "reject", 2, "too deep")));
    expect(rejected.effects).toEqual([{ type: "settled", status: "rejected", outcome: `rejected by Vera Vp at ${at(2)}: too deep` }]);
    expect(rejected.state).toMatchObject({ status: "rejected", level: 0, settledAt: at(2) });
    expect(rejected.state.levels.map((l) => l.status)).toEqual(["rejected", "waiting"]);

    const revised = accepted(decideRequest(opened.state, vote("u-val", "revise", 3, "lower it to 15 %")));
    expect(revised.effects).toEqual([
      { type: "settled", status: "revise", outcome: `sent back for revision by Valérie Vp at ${at(3)}: lower it to 15 %` },
    ]);
    expect(revised.state.status).toBe("revise");
  });

  it("refuses the submitter, a stranger and a second vote, in words, changing nothing", () => {
    const opened = twoLevels();
    expect(decideRequest(opened.state, vote("u-sam", "approve", 1))).toEqual({
      ok: false,
      code: "self_approval",
      reason: "you submitted this request; someone else must decide it",
      state: opened.state,
    });
    expect(decideRequest(opened.state, vote("u-carl", "approve", 1))).toEqual({
      ok: false,
      code: "not_approver",
      reason: 'you are not an approver of level "VP Sales" (its approvers: Vera Vp, Victor Vp, Valérie Vp)',
      state: opened.state,
    });
    const once = accepted(decideRequest(opened.state, vote("u-vera", "approve", 1)));
    expect(decideRequest(once.state, vote("u-vera", "approve", 2))).toEqual({
      ok: false,
      code: "already_voted",
      reason: 'you have already decided level "VP Sales"',
      state: once.state,
    });
  });

  it("two approvers deciding an any-level: the first settles it, the second is told who did", () => {
    const opened = open([{ name: "VP Sales", require: "any", candidates: [VERA, VIC] }]);
    const first = accepted(decideRequest(opened.state, vote("u-vera", "approve", 1)));
    expect(first.effects).toEqual([{ type: "settled", status: "approved", outcome: `approved by Vera Vp at ${at(1)}` }]);
    expect(decideRequest(first.state, vote("u-vic", "reject", 1))).toEqual({
      ok: false,
      code: "not_pending",
      reason: `this request is no longer pending: approved by Vera Vp at ${at(1)}`,
      state: first.state,
    });
  });

  it("a delegate decides for the approver who is away, and says so", () => {
    const away = { ...VERA, away: { until: "2026-03-09", delegateId: DEE.userId, delegateName: DEE.name } };
    const opened = open([{ name: "VP Sales", require: "any", candidates: [away, VIC] }]);
    expect(decideRequest(opened.state, vote("u-vera", "approve", 1))).toMatchObject({ ok: false, code: "not_approver" });
    const decided = accepted(decideRequest(opened.state, vote("u-dee", "approve", 2)));
    expect(decided.state.levels[0]?.votes).toEqual([
      { userId: "u-dee", name: "Dee Deputy", onBehalfOf: "u-vera", decision: "approve", comment: "", at: at(2) },
    ]);
    expect(decided.effects).toEqual([{ type: "settled", status: "approved", outcome: `approved by Dee Deputy for Vera Vp at ${at(2)}` }]);
  });
});

describe("escalation and a close from outside", () => {
  it("adds people who may decide the current level alone, asks only them, and counts the escalation", () => {
    const opened = open([
      { name: "VP Sales", require: 2, candidates: [VERA, VIC, VAL] },
      { name: "Finance", require: "any", candidates: [CARL] },
    ]);
    const one = accepted(decideRequest(opened.state, vote("u-vera", "approve", 1)));
    const escalated = accepted(decideRequest(one.state, { kind: "escalate", to: [CEO, VIC, SAM], at: at(30) }));
    const ceo = approver(CEO, { escalated: true });
    expect(escalated.effects).toEqual([{ type: "ask", level: 0, approvers: [ceo] }]);
    expect(escalated.state.escalations).toBe(1);
    expect(escalated.state.levels[0]?.approvers).toEqual([approver(VERA), approver(VIC), approver(VAL), ceo]);

    // Nobody new: counted all the same, nobody asked.
    const again = accepted(decideRequest(escalated.state, { kind: "escalate", to: [CEO], at: at(40) }));
    expect(again.effects).toEqual([]);
    expect(again.state.escalations).toBe(2);

    // The escalated approver's one approval settles the level: the next level is asked.
    const decided = accepted(decideRequest(again.state, vote("u-ceo", "approve", 41)));
    expect(decided.effects).toEqual([{ type: "ask", level: 1, approvers: [approver(CARL)] }]);
    expect(decided.state.levels[0]?.status).toBe("approved");
  });

  it("an escalated approver does not count towards all", () => {
    const opened = open([{ name: "Board", require: "all", candidates: [VERA, VIC] }]);
    const escalated = accepted(decideRequest(opened.state, { kind: "escalate", to: [CEO], at: at(30) }));
    const one = accepted(decideRequest(escalated.state, vote("u-vera", "approve", 31)));
    expect(one.effects).toEqual([]);
    const two = accepted(decideRequest(one.state, vote("u-vic", "approve", 32)));
    expect(two.effects).toEqual([{ type: "settled", status: "approved", outcome: `approved by Victor Vp at ${at(32)}` }]);
  });

  it("closes the request from outside: the current level closed, settled with the outcome, later votes refused with it", () => {
    const opened = open([{ name: "VP Sales", require: "any", candidates: [VERA] }]);
    const closed = accepted(
      decideRequest(opened.state, { kind: "close", status: "timed_out", outcome: "timed out: no decision", at: at(59) }),
    );
    expect(closed.effects).toEqual([{ type: "settled", status: "timed_out", outcome: "timed out: no decision" }]);
    expect(closed.state).toMatchObject({ status: "timed_out", outcome: "timed out: no decision", settledAt: at(59) });
    expect(closed.state.levels[0]?.status).toBe("closed");
    expect(decideRequest(closed.state, vote("u-vera", "approve", 59))).toMatchObject({
      ok: false,
      code: "not_pending",
      reason: "this request is no longer pending: timed out: no decision",
    });
    expect(decideRequest(closed.state, { kind: "escalate", to: [CEO], at: at(59) })).toMatchObject({ ok: false, code: "not_pending" });
  });
});

describe("a request sent back", () => {
  it("is closed by its run (cancelled, timed out, rejected) with the outcome, its votes kept; nobody may vote on it", () => {
    const opened = open([{ name: "VP Sales", require: "any", candidates: [VERA] }]);
    const back = accepted(decideRequest(opened.state, vote("u-vera", "revise", 5, "15 % at most")));
    expect(back.state.status).toBe("revise");
    expect(decideRequest(back.state, vote("u-vera", "approve", 6))).toMatchObject({ ok: false, code: "not_pending" });
    const closed = accepted(
      decideRequest(back.state, { kind: "close", status: "cancelled", outcome: "cancelled: the record was deleted", at: at(7) }),
    );
    expect(closed.effects).toEqual([{ type: "settled", status: "cancelled", outcome: "cancelled: the record was deleted" }]);
    expect(closed.state).toEqual({ ...back.state, status: "cancelled", outcome: "cancelled: the record was deleted", settledAt: at(7) });
    // Closed for good: a second close is refused like any other event.
    expect(decideRequest(closed.state, { kind: "close", status: "timed_out", outcome: "late", at: at(8) })).toMatchObject({
      ok: false,
      code: "not_pending",
    });
  });
});

describe("any sequence of events (property)", () => {
  const people = [VERA, VIC, VAL, CARL, CEO, SAM, DEE];
  const requireArb = fc.oneof(fc.constant("any" as const), fc.constant("all" as const), fc.integer({ min: 1, max: 3 }));
  const levelArb = fc.record({
    require: requireArb,
    candidates: fc.uniqueArray(fc.constantFrom(...people), { minLength: 1, maxLength: 5, selector: (c) => c.userId }),
  });
  const eventArb = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        who: fc.constantFrom(...people),
        decision: fc.constantFrom<ApprovalDecision>("approve", "approve", "reject", "revise"),
      }),
    },
    { weight: 1, arbitrary: fc.record({ escalateTo: fc.subarray(people, { maxLength: 2 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        close: fc.constantFrom<"approved" | "rejected" | "timed_out" | "cancelled">("approved", "rejected", "timed_out", "cancelled"),
      }),
    },
  );

  it("settles at most once (a request sent back: closed once more by its run), never returns to pending, and accepts votes only from the current level's approvers", () => {
    // How many runs opened a request and how many settled: the property must not hold vacuously.
    const seen = { opened: 0, settled: 0 };
    fc.assert(
      fc.property(fc.array(levelArb, { minLength: 1, maxLength: 3 }), fc.array(eventArb, { maxLength: 25 }), (plans, events) => {
        const opened = openRequest(
          plans.map((p, i) => ({ name: `L${i + 1}`, ...p })),
          SAM.userId,
        );
        if (typeof opened === "string") return;
        seen.opened++;
        let state = opened.state;
        let settled = 0;
        let sentBackThenClosed = false;
        for (const [minute, e] of events.entries()) {
          const wasPending = state.status === "pending";
          const wasSentBack = state.status === "revise";
          const current = state.levels[state.level];
          const event =
            "who" in e
              ? ({ kind: "vote", userId: e.who.userId, decision: e.decision, comment: "", at: at(minute) } as const)
              : "escalateTo" in e
                ? ({ kind: "escalate", to: e.escalateTo, at: at(minute) } as const)
                : ({ kind: "close", status: e.close, outcome: e.close, at: at(minute) } as const);
          const t = decideRequest(state, event);
          // A request sent back is closed by its run only; anything else is refused once it is not pending.
          const closesSentBack = wasSentBack && event.kind === "close";
          if (!wasPending && !closesSentBack) expect(t).toMatchObject({ ok: false, code: "not_pending" });
          if (closesSentBack) expect(t.ok).toBe(true);
          if (t.ok && event.kind === "vote") {
            expect(current?.approvers.some((a) => a.userId === event.userId)).toBe(true);
            expect(event.userId).not.toBe(SAM.userId);
          }
          if (closesSentBack && t.ok) sentBackThenClosed = true;
          if (!t.ok) expect(t.state).toBe(state);
          else {
            settled += t.effects.filter((x) => x.type === "settled").length;
            state = t.state;
          }
          if (!wasPending) expect(state.status).not.toBe("pending");
        }
        // Once, or twice when a request sent back was then closed by its run.
        expect(settled).toBe(state.status === "pending" ? 0 : sentBackThenClosed ? 2 : 1);
        seen.settled += settled;
        for (const level of state.levels) expect(level.approvers.some((a) => a.userId === SAM.userId)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(seen.opened).toBeGreaterThan(100);
    expect(seen.settled).toBeGreaterThan(50);
  });
});
