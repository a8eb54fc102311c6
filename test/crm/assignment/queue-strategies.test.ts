/**
 * The queue strategies (crm/assignment/queue-*.ts): round-robin, smooth weighted round-robin and
 * least-loaded, called directly over eligible members in id order, the state carried from pick
 * to pick as the runtime would store it (through JSON).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Eligible,
  QUEUE_STRATEGIES,
  type QueueMember,
  type QueueState,
  type QueueStrategyName,
} from "../../../src/crm/assignment/index.js";
import { queueMember } from "./queue-member.js";

const member = queueMember;
const nonEmpty = (members: QueueMember[]): Eligible => {
  const [first, ...rest] = members;
  if (!first) throw new Error("the test needs at least one member");
  return [first, ...rest];
};
const nameOf = (id: string) => id;
/** The state as it comes back from the database row. */
const stored = (state: QueueState): QueueState => JSON.parse(JSON.stringify(state));

/** Picks n times over the same members, the state carried through JSON; the ids picked. */
function run(
  strategy: QueueStrategyName,
  members: QueueMember[],
  n: number,
  start: QueueState = {},
): { picks: string[]; state: QueueState } {
  const eligible = nonEmpty(members);
  let state = start;
  const picks: string[] = [];
  for (let i = 0; i < n; i++) {
    const pick = QUEUE_STRATEGIES[strategy]({ eligible, state, nameOf });
    picks.push(pick.userId);
    state = stored(pick.state);
  }
  return { picks, state };
}

const tally = (ids: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};

// Ids as the store makes them (ULIDs: digits and upper-case letters), distinct, sorted as the caller hands them over.
const ids = (min: number, max: number) =>
  fc
    .uniqueArray(fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZ"), minLength: 1, maxLength: 6 }), {
      minLength: min,
      maxLength: max,
    })
    .map((xs) => [...xs].sort());

describe("round-robin", () => {
  it("picks the next id after the last pick, wrapping, and says why", () => {
    const members = [member("A", { name: "Ann" }), member("B", { name: "Bob" }), member("C", { name: "Cleo" })];
    const first = QUEUE_STRATEGIES.round_robin({ eligible: nonEmpty(members), state: {}, nameOf });
    expect(first).toEqual({
      userId: "A",
      state: { last: "A" },
      detail: { strategy: "round_robin", eligibleCount: 3, text: "round-robin: Ann is next (3 eligible)" },
    });
    // The last pick left the eligible set (B is on PTO): the rotation carries on after B's place.
    const skipped = QUEUE_STRATEGIES.round_robin({
      eligible: nonEmpty([members[0] as QueueMember, members[2] as QueueMember]),
      state: { last: "B", current: { A: 1 } },
      nameOf: () => "Bob",
    });
    expect(skipped).toEqual({
      userId: "C",
      state: { last: "C", current: { A: 1 } },
      detail: { strategy: "round_robin", after: "B", eligibleCount: 2, text: "round-robin: Cleo is next after Bob (2 eligible)" },
    });
    expect(run("round_robin", members, 4, { last: "C" }).picks).toEqual(["A", "B", "C", "A"]);
  });

  it("over N picks gives each of k members ⌊N/k⌋ or ⌈N/k⌉, wherever the rotation stood", () => {
    fc.assert(
      fc.property(
        ids(1, 12),
        fc.integer({ min: 0, max: 200 }),
        fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
        (xs, n, last) => {
          const { picks } = run(
            "round_robin",
            xs.map((id) => member(id)),
            n,
            last === undefined ? {} : { last },
          );
          const counts = tally(picks);
          for (const id of xs) expect([Math.floor(n / xs.length), Math.ceil(n / xs.length)]).toContain(counts.get(id) ?? 0);
        },
      ),
    );
  });
});

describe("smooth weighted round-robin", () => {
  const weighted = (ws: readonly number[]) => ws.map((weight, i) => member(`U${String(i).padStart(2, "0")}`, { weight }));

  it("spreads picks by weight rather than in bursts, and says why", () => {
    const members = [
      member("A", { name: "Ann", weight: 3 }),
      member("B", { name: "Bob", weight: 2 }),
      member("C", { name: "Cleo", weight: 1 }),
    ];
    // Smooth WRR's known sequence for 3:2:1 (ties by id): A B A C B A, then again.
    expect(run("weighted_round_robin", members, 12).picks).toEqual([..."ABACBA", ..."ABACBA"]);
    const pick = QUEUE_STRATEGIES.weighted_round_robin({ eligible: nonEmpty(members), state: { current: { A: 2, B: -1, C: -1 } }, nameOf });
    expect(pick).toEqual({
      userId: "A",
      state: { last: "A", current: { A: -1, B: 1, C: 0 } },
      detail: {
        strategy: "weighted_round_robin",
        weights: { A: 3, B: 2, C: 1 },
        credits: { A: 5, B: 1, C: 0 },
        total: 6,
        text: "weighted round-robin: Ann (weight 3) has the highest running credit, 5, of 3 eligible with total weight 6",
      },
    });
  });

  it("over 10,000 picks gives each member its weight's share ±2 points, exactly its weight in every full cycle", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 8 }), (ws) => {
        const members = weighted(ws);
        const total = ws.reduce((a, b) => a + b, 0);
        const eligible = nonEmpty(members);
        const counts = new Map<string, number>();
        let state: QueueState = {};
        for (let n = 1; n <= 10_000; n++) {
          const pick = QUEUE_STRATEGIES.weighted_round_robin({ eligible, state, nameOf });
          counts.set(pick.userId, (counts.get(pick.userId) ?? 0) + 1);
          state = pick.state;
          if (n % total === 0) for (const m of members) expect(counts.get(m.id) ?? 0).toBe((m.weight * n) / total);
        }
        for (const m of members) expect(Math.abs((counts.get(m.id) ?? 0) / 10_000 - m.weight / total)).toBeLessThanOrEqual(0.02);
      }),
      { numRuns: 40 },
    );
  });

  it("members who were not eligible neither gain nor pay: no burst on return", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 1, max: 500 }),
        (ws, away) => {
          const members = weighted(ws);
          const [absent, ...present] = members as [QueueMember, ...QueueMember[]];
          const before = run("weighted_round_robin", members, 37).state;
          const during = run("weighted_round_robin", present, away, before);
          // Their credit is where they left it, and they get no more than a fair share once back.
          expect(during.state.current?.[absent.id]).toBe(before.current?.[absent.id]);
          const total = ws.reduce((a, b) => a + b, 0);
          const after = tally(run("weighted_round_robin", members, total, during.state).picks);
          expect(after.get(absent.id) ?? 0).toBeLessThanOrEqual(absent.weight + 1);
        },
      ),
    );
  });

  it("a weight that slipped past the edge counts as 1; stored credits that are not numbers count as 0", () => {
    const members = [member("A", { weight: 0 }), member("B", { weight: Number.NaN }), member("C", { weight: -3 })];
    expect(tally(run("weighted_round_robin", members, 30).picks)).toEqual(
      new Map([
        ["A", 10],
        ["B", 10],
        ["C", 10],
      ]),
    );
    // JSON.parse makes "__proto__" an own key, as a row read back from the database would.
    const state: QueueState = JSON.parse('{"current": {"A": "lots", "B": null, "__proto__": 7}}');
    const eligible = nonEmpty([member("A", { weight: 2 }), member("__proto__", { weight: 1 })]);
    const pick = QUEUE_STRATEGIES.weighted_round_robin({ eligible, state, nameOf });
    expect(pick.userId).toBe("__proto__");
    expect(pick.detail.credits).toEqual({ A: 2, ["__proto__"]: 8 });
    expect(stored(pick.state)).toEqual(JSON.parse('{"last": "__proto__", "current": {"A": 2, "__proto__": 5}}'));
    expect(Object.getPrototypeOf(pick.state.current)).toBe(Object.prototype);
  });
});

describe("least-loaded", () => {
  it("picks the lowest load for the capacity, a member without capacity ranking by load, and says why", () => {
    const members = [
      member("A", { name: "Ann", load: 6, capacity: 10 }),
      member("B", { name: "Bob", load: 3, capacity: 10 }),
      member("C", { name: "Cleo", load: 1 }),
      member("D", { name: "Dan", load: 0, capacity: 0 }),
    ];
    expect(QUEUE_STRATEGIES.least_loaded({ eligible: nonEmpty(members), state: {}, nameOf })).toEqual({
      userId: "B",
      state: { last: "B" },
      detail: {
        strategy: "least_loaded",
        loads: [
          { userId: "A", load: 6, capacity: 10, ratio: 0.6 },
          { userId: "B", load: 3, capacity: 10, ratio: 0.3 },
          { userId: "C", load: 1, ratio: 1 },
          { userId: "D", load: 0, capacity: 0, ratio: null },
        ],
        tied: 1,
        text: "least loaded: Bob has the lowest load, 3 of 10, of 4 eligible",
      },
    });
  });

  it("rotates among equally loaded members after the last pick", () => {
    const members = [
      member("A", { name: "Ann", load: 2, capacity: 4 }),
      member("B", { name: "Bob", load: 1 }),
      member("C", { name: "Cleo", load: 5, capacity: 10 }),
    ];
    const pick = QUEUE_STRATEGIES.least_loaded({ eligible: nonEmpty(members), state: { last: "A" }, nameOf: () => "Ann" });
    expect(pick.userId).toBe("C");
    expect(pick.detail.text).toBe(
      "least loaded: Cleo has the lowest load, 5 of 10, of 3 eligible; 2 tied, Cleo is next in rotation after Ann",
    );
    expect(run("least_loaded", members, 4, { last: "C" }).picks).toEqual(["A", "C", "A", "C"]);
  });

  const loads = fc.array(fc.record({ load: fc.nat({ max: 30 }), capacity: fc.option(fc.nat({ max: 20 }), { nil: undefined }) }), {
    minLength: 1,
    maxLength: 10,
  });

  it("the pick's ratio is never above another eligible member's; equal members each get a turn before any gets two", () => {
    fc.assert(
      fc.property(loads, fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), (ls, last) => {
        const members = ls.map((l, i) => member(`U${String(i).padStart(2, "0")}`, l));
        const ratio = (m: QueueMember) =>
          m.capacity === undefined ? (m.load ?? 0) : m.capacity > 0 ? (m.load ?? 0) / m.capacity : Number.POSITIVE_INFINITY;
        const { picks } = run("least_loaded", members, members.length, last === undefined ? {} : { last });
        const lowest = Math.min(...members.map(ratio));
        const tied = members.filter((m) => ratio(m) === lowest);
        // Loads do not change between these picks: every pick is among the lowest, and the tied take turns.
        for (const id of picks) expect(tied.map((m) => m.id)).toContain(id);
        const counts = tally(picks);
        for (const m of tied) expect(counts.get(m.id) ?? 0).toBeGreaterThanOrEqual(Math.floor(members.length / tied.length));
      }),
    );
  });
});
