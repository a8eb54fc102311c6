/**
 * Choosing from a queue (crm/assignment/queue.ts, eligibility.ts) and the fallback-cycle check
 * (fallback.ts): nobody who may not take work is ever chosen, `nobody_eligible` exactly when
 * nobody may, every member gets a verdict, and the reasons read as sentences.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  chooseFromQueue,
  findFallbackCycle,
  judgeEligibility,
  QUEUE_STRATEGY_NAMES,
  type QueueMember,
  type QueueSpec,
  type QueueState,
  WEEKDAYS,
  type WorkingHours,
} from "../../../src/crm/assignment/index.js";
import { queueMember } from "./queue-member.js";

const member = queueMember;
const queue = (over: Partial<QueueSpec> = {}): QueueSpec => ({
  id: "Q1",
  name: "Inbound",
  strategy: "round_robin",
  respectAvailability: true,
  respectCapacity: true,
  ...over,
});
const none: ReadonlySet<string> = new Set();
// A Monday, 10:00 UTC.
const MONDAY = new Date("2026-12-07T10:00:00Z");

describe("eligibility", () => {
  const members = [
    member("U6", { name: "Fay", timeZone: "Asia/Tokyo", workingHours: { mon: [["09:00", "17:00"]] } }),
    member("U1", { name: "Ann" }),
    member("U2", { name: "Bob", active: false }),
    member("U3", { name: "Cleo", pto: [{ start: "2026-12-01T00:00:00Z", end: "2026-12-12T00:00:00Z" }] }),
    member("U4", { name: "Dan", load: 12, capacity: 12 }),
    member("U5", { name: "Eve", availableNow: false, weight: 3, load: 2, capacity: 5 }),
    member("U7", { name: "Gus" }),
  ];

  it("gives every member a verdict in id order, with the reason for each one left out", () => {
    const { eligible, verdicts } = judgeEligibility(members, queue(), new Set(["U7"]), MONDAY);
    expect(eligible.map((m) => m.id)).toEqual(["U1"]);
    expect(verdicts).toEqual([
      { userId: "U1", name: "Ann", eligible: true, weight: 1 },
      { userId: "U2", name: "Bob", eligible: false, weight: 1, reason: { code: "inactive", text: "inactive user" } },
      {
        userId: "U3",
        name: "Cleo",
        eligible: false,
        weight: 1,
        reason: { code: "pto", until: "2026-12-12T00:00:00.000Z", text: "on PTO until 12 Dec" },
      },
      {
        userId: "U4",
        name: "Dan",
        eligible: false,
        weight: 1,
        load: 12,
        capacity: 12,
        reason: { code: "at_capacity", load: 12, capacity: 12, text: "at capacity 12 of 12" },
      },
      {
        userId: "U5",
        name: "Eve",
        eligible: false,
        weight: 3,
        load: 2,
        capacity: 5,
        reason: { code: "unavailable", text: "switched to unavailable" },
      },
      {
        userId: "U6",
        name: "Fay",
        eligible: false,
        weight: 1,
        reason: {
          code: "outside_hours",
          localTime: "19:00",
          weekday: "mon",
          timeZone: "Asia/Tokyo",
          text: "outside working hours, Mon 19:00 in Asia/Tokyo",
        },
      },
      {
        userId: "U7",
        name: "Gus",
        eligible: false,
        weight: 1,
        reason: { code: "excluded", text: "current owner, excluded on reassignment" },
      },
    ]);
  });

  it("a queue that does not respect availability or capacity ignores them, never activity or the exclusion", () => {
    const { eligible } = judgeEligibility(members, { respectAvailability: false, respectCapacity: false }, new Set(["U7"]), MONDAY);
    expect(eligible.map((m) => m.id)).toEqual(["U1", "U3", "U4", "U5", "U6"]);
  });
});

describe("chooseFromQueue", () => {
  it("assigns with the strategy, the state to store, every verdict and the reason", () => {
    const members = [
      member("U2", { name: "Bob", weight: 1 }),
      member("U1", { name: "Ann", weight: 3 }),
      member("U3", { name: "Cleo", active: false }),
    ];
    const decision = chooseFromQueue({
      queue: queue({ strategy: "weighted_round_robin" }),
      members,
      state: { last: "U2", current: { U1: 2, U2: -2, GONE: 4 } },
      exclude: none,
      at: MONDAY,
    });
    expect(decision).toEqual({
      outcome: "assigned",
      userId: "U1",
      // The credit of someone no longer in the queue is dropped.
      state: { last: "U1", current: { U1: 1, U2: -1 } },
      strategy: "weighted_round_robin",
      candidates: [
        { userId: "U1", name: "Ann", eligible: true, weight: 3 },
        { userId: "U2", name: "Bob", eligible: true, weight: 1 },
        { userId: "U3", name: "Cleo", eligible: false, weight: 1, reason: { code: "inactive", text: "inactive user" } },
      ],
      why: "queue Inbound: weighted round-robin: Ann (weight 3) has the highest running credit, 5, of 2 eligible with total weight 4",
      detail: {
        strategy: "weighted_round_robin",
        weights: { U1: 3, U2: 1 },
        credits: { U1: 5, U2: -1 },
        total: 4,
        text: expect.any(String),
      },
    });
  });

  it("names the last pick in the reason even when they are not eligible now", () => {
    const members = [member("U1", { name: "Ann" }), member("U2", { name: "Bob", availableNow: false }), member("U3", { name: "Cleo" })];
    const decision = chooseFromQueue({ queue: queue(), members, state: { last: "U2" }, exclude: none, at: MONDAY });
    expect(decision).toMatchObject({
      outcome: "assigned",
      userId: "U3",
      why: "queue Inbound: round-robin: Cleo is next after Bob (2 eligible)",
    });
  });

  it("says nobody was eligible, and why each member was not", () => {
    const members = [member("U1", { name: "Ann", active: false }), member("U2", { name: "Bob", load: 3, capacity: 3 })];
    expect(chooseFromQueue({ queue: queue(), members, state: {}, exclude: none, at: MONDAY })).toEqual({
      outcome: "nobody_eligible",
      candidates: [
        { userId: "U1", name: "Ann", eligible: false, weight: 1, reason: { code: "inactive", text: "inactive user" } },
        {
          userId: "U2",
          name: "Bob",
          eligible: false,
          weight: 1,
          load: 3,
          capacity: 3,
          reason: { code: "at_capacity", load: 3, capacity: 3, text: "at capacity 3 of 3" },
        },
      ],
      why: "queue Inbound: nobody eligible (Ann: inactive user; Bob: at capacity 3 of 3)",
    });
    expect(chooseFromQueue({ queue: queue(), members: [], state: {}, exclude: none, at: MONDAY })).toEqual({
      outcome: "nobody_eligible",
      candidates: [],
      why: "queue Inbound has no members",
    });
  });

  // Random queues: members with every reason to be left out, at random instants.
  const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo"];
  const AROUND = Date.parse("2026-06-01T00:00:00Z");
  const DAY = 86_400_000;
  const instant = fc.integer({ min: AROUND - 30 * DAY, max: AROUND + 30 * DAY });
  const hhmm = fc
    .integer({ min: 0, max: 24 * 60 })
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  const span = fc.tuple(hhmm, hhmm).filter(([a, b]) => a < b);
  const period = fc
    .tuple(instant, fc.integer({ min: 1, max: 10 * DAY }))
    .map(([start, length]) => ({ start: new Date(start).toISOString(), end: new Date(start + length).toISOString() }));
  const randomMember = (id: string) =>
    fc
      .record({
        active: fc.boolean(),
        availableNow: fc.boolean(),
        timeZone: fc.constantFrom(...ZONES),
        workingHours: fc.option(fc.dictionary(fc.constantFrom(...WEEKDAYS), fc.array(span, { maxLength: 2 })), { nil: undefined }),
        pto: fc.array(period, { maxLength: 3 }),
        weight: fc.integer({ min: 1, max: 10 }),
        capacity: fc.option(fc.nat({ max: 8 }), { nil: undefined }),
        load: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
      })
      .map((r) => member(id, { ...r, name: `name ${id}` }));
  const members = fc
    .uniqueArray(fc.constantFrom("A", "B", "C", "D", "E", "F", "G", "H"), { maxLength: 8 })
    .chain((ids) => fc.tuple(...ids.map(randomMember)));
  const state: fc.Arbitrary<QueueState> = fc.record(
    {
      last: fc.constantFrom("A", "C", "E", "Z"),
      current: fc.dictionary(fc.constantFrom("A", "B", "C", "D", "E"), fc.integer({ min: -20, max: 20 })),
    },
    { requiredKeys: [] },
  );

  /** What the eligibility rules say, worked out here without the code under test, as the reason's code or undefined. */
  function expectedExclusion(m: QueueMember, q: QueueSpec, exclude: ReadonlySet<string>, at: number): string | undefined {
    if (!m.active) return "inactive";
    if (exclude.has(m.id)) return "excluded";
    if (q.respectAvailability) {
      if (m.pto.some((p) => Date.parse(p.start) <= at && at < Date.parse(p.end))) return "pto";
      if (!m.availableNow) return "unavailable";
      const hours: WorkingHours | undefined = m.workingHours;
      if (hours && Object.keys(hours).length > 0) {
        const local = DateTime.fromMillis(at).setZone(m.timeZone);
        const wall = local.toFormat("HH:mm");
        const day = local.setLocale("en").toFormat("ccc").toLowerCase() as keyof WorkingHours;
        if (!(hours[day] ?? []).some(([s, e]) => s <= wall && wall < e)) return "outside_hours";
      }
    }
    if (q.respectCapacity && m.capacity !== undefined && (m.load ?? 0) >= m.capacity) return "at_capacity";
    return undefined;
  }

  it("never chooses anyone who may not take work; nobody_eligible exactly when nobody may; a verdict for everyone", () => {
    fc.assert(
      fc.property(
        members,
        fc.constantFrom(...QUEUE_STRATEGY_NAMES),
        fc.boolean(),
        fc.boolean(),
        fc.subarray(["A", "B", "C", "D", "E", "F", "G", "H"], { maxLength: 2 }),
        state,
        instant,
        (ms, strategy, respectAvailability, respectCapacity, excluded, st, at) => {
          const q = queue({ strategy, respectAvailability, respectCapacity });
          const exclude = new Set(excluded);
          const decision = chooseFromQueue({ queue: q, members: ms, state: st, exclude, at: new Date(at) });
          const expected = new Map(ms.map((m) => [m.id, expectedExclusion(m, q, exclude, at)]));
          const mayTake = [...expected].filter(([, code]) => code === undefined).map(([id]) => id);
          // Every member once, in id order, each verdict as the rules say.
          expect(decision.candidates.map((c) => c.userId)).toEqual(ms.map((m) => m.id).sort());
          for (const c of decision.candidates) {
            expect(c.eligible).toBe(expected.get(c.userId) === undefined);
            expect(c.reason?.code).toBe(expected.get(c.userId));
          }
          if (mayTake.length === 0) expect(decision.outcome).toBe("nobody_eligible");
          else {
            expect(decision.outcome).toBe("assigned");
            if (decision.outcome === "assigned") {
              expect(mayTake).toContain(decision.userId);
              expect(decision.state.last).toBe(decision.userId);
              expect(decision.strategy).toBe(strategy);
              // The stored state survives JSON and keeps no one who left the queue.
              expect(JSON.parse(JSON.stringify(decision.state))).toEqual(decision.state);
              for (const id of Object.keys(decision.state.current ?? {})) expect(expected.has(id)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("findFallbackCycle", () => {
  it("finds a queue falling back to itself, and a ring of queues, from the ring's smallest id", () => {
    expect(findFallbackCycle([{ id: "A", fallback: { queue: "A" } }])).toEqual(["A", "A"]);
    expect(
      findFallbackCycle([
        { id: "B", fallback: { queue: "A" } },
        { id: "A", fallback: { queue: "B" } },
      ]),
    ).toEqual(["A", "B", "A"]);
    // A chain leading into a ring: the ring is the cycle, not the way in.
    expect(
      findFallbackCycle([
        { id: "A", fallback: { queue: "C" } },
        { id: "C", fallback: { queue: "D" } },
        { id: "D", fallback: { queue: "E" } },
        { id: "E", fallback: { queue: "C" } },
      ]),
    ).toEqual(["C", "D", "E", "C"]);
  });

  it("finds none when every chain ends in a user, a hold, no fallback or an unknown queue", () => {
    expect(
      findFallbackCycle([
        { id: "A", fallback: { queue: "B" } },
        { id: "B", fallback: { queue: "C" } },
        { id: "C", fallback: { user: "U1" } },
        { id: "D", fallback: { queue: "C" } },
        { id: "E", fallback: { hold: true } },
        { id: "F" },
        { id: "G", fallback: { queue: "nowhere" } },
      ]),
    ).toBeUndefined();
    expect(findFallbackCycle([])).toBeUndefined();
  });

  it("finds a cycle exactly when following fallbacks from some queue comes back to it", () => {
    const ids = ["A", "B", "C", "D", "E", "F"];
    const fallback = fc.oneof(
      fc.constantFrom(...ids, "X").map((queue) => ({ queue })),
      fc.constant({ user: "U1" }),
      fc.constant({ hold: true as const }),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(fc.tuple(...ids.map(() => fallback)), (fallbacks) => {
        const queues = ids.map((id, i) => ({ id, fallback: fallbacks[i] }));
        const next = (id: string) => {
          const f = queues.find((q) => q.id === id)?.fallback;
          return f && "queue" in f ? f.queue : undefined;
        };
        // Brute force: from each queue, up to six steps, does the walk return to where it began?
        const returns = ids.filter((start) => {
          let at = next(start);
          for (let step = 0; step < ids.length && at !== undefined; step++, at = next(at)) if (at === start) return true;
          return false;
        });
        const cycle = findFallbackCycle(queues);
        if (returns.length === 0) expect(cycle).toBeUndefined();
        else {
          expect(cycle).toBeDefined();
          const path = cycle ?? [];
          expect(path[0]).toBe(path.at(-1));
          for (let i = 0; i + 1 < path.length; i++) expect(next(path[i] as string)).toBe(path[i + 1]);
          for (const id of path) expect(returns).toContain(id);
        }
      }),
    );
  });
});
