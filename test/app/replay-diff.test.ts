/**
 * Production's outcome of a trigger against the draft's: what a run did read from its steps, and
 * the verdicts (issue 19, replay).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordAtVersion } from "../../src/app/replay/record-at.js";
import { compareOutcomes, countVerdicts } from "../../src/app/replay/replay-diff.js";
import { outcomeOf, type RunOutcome } from "../../src/app/replay/run-outcome.js";

const outcome = (over: Partial<RunOutcome> = {}): RunOutcome => ({
  status: "completed",
  path: ["assign", "call-task", "auto-reply"],
  fields: { owner_id: "u1", status: "working" },
  owner: "u1",
  created: [{ object: "task", fields: { title: "Call" } }],
  messages: [{ kind: "email", to: "dana@example.com", what: "Thanks" }],
  ...over,
});

describe("a run's outcome from its steps", () => {
  it("reads the path, the record's fields, the owner, the records created and the messages", () => {
    const steps = [
      { step: "assign", effects: [{ command: "assign_owner", field: "owner_id", user_id: "u2", why: "next" }] },
      { step: "wait", effects: [{ command: "start_timer", timer_id: "t", due_at: "2026-01-01T00:15:00.000Z" }] },
      { step: "wait", effects: [] },
      {
        step: "update",
        effects: [
          { command: "update_record", record_id: "r1", fields: { status: "working" } },
          { command: "update_record", record_id: "other", fields: { status: "ignored" } },
          { command: "change_score", field: "score", from: 10, to: 20 },
          { command: "create_record", object: "task", record_id: "t1", fields: { title: "Call" } },
        ],
      },
      {
        step: "mail",
        effects: [
          { command: "enqueue_external", outbox_id: "o1", key: "k1", kind: "email", connector: "smtp" },
          { command: "enqueue_external", key: "k2", error: "quota" },
        ],
      },
      { step: "call", effects: [{ command: "enqueue_external", outbox_id: "o2", key: "k3", kind: "http", connector: "crm" }] },
    ];
    const outbox = new Map([
      ["o1", { kind: "email", payload: { to: "dana@example.com", subject: "Thanks", messageId: "m" } }],
      ["o2", { kind: "http", payload: { method: "POST", path: "/leads" } }],
    ]);
    expect(outcomeOf({ status: "completed", recordId: "r1" }, steps, outbox)).toEqual({
      status: "completed",
      path: ["assign", "wait", "update", "mail", "call"],
      fields: { owner_id: "u2", status: "working", score: 20 },
      owner: "u2",
      created: [{ object: "task", fields: { title: "Call" } }],
      messages: [
        { kind: "email", to: "dana@example.com", what: "Thanks" },
        { kind: "http", to: null, what: "POST /leads" },
      ],
    });
  });
});

describe("comparing production with the draft", () => {
  it("says new, no longer enrolled, or nothing when neither enrolled", () => {
    expect(compareOutcomes(null, outcome())?.verdict).toBe("new");
    expect(compareOutcomes(outcome(), null)?.verdict).toBe("no_longer_enrolled");
    expect(compareOutcomes(null, null)).toBeUndefined();
  });

  it("names the first step that differs, the owner once (not again as owner_id), a field and the messages", () => {
    const c = compareOutcomes(
      outcome(),
      outcome({
        path: ["assign", "auto-reply"],
        owner: "u9",
        fields: { owner_id: "u9", status: "nurture" },
        messages: [],
      }),
    );
    expect(c?.verdict).toBe("changed");
    expect(c?.differences.map((d) => d.sentence)).toEqual([
      "Step 2 would be “auto-reply” instead of “call-task”.",
      "The owner would differ.",
      "Would write status = “nurture” instead of “working”.",
      "Would send 0 messages instead of 1.",
    ]);
  });

  it("takes two instants a minute apart as the same value, and a run that goes further as a path change", () => {
    const p = outcome({ fields: { owner_id: "u1", contacted_at: "2026-01-01T10:00:00.000Z" } });
    const d = outcome({ fields: { owner_id: "u1", contacted_at: "2026-01-01T10:00:30.000Z" } });
    expect(compareOutcomes(p, d)?.verdict).toBe("unchanged");
    const longer = compareOutcomes(p, { ...p, path: [...p.path, "close"] });
    expect(longer?.differences[0]?.sentence).toBe("The run would go on to “close” after “auto-reply”.");
  });

  it("is unchanged against itself, names every path, owner and status difference, and counts each verdict", () => {
    const arb = fc.record({
      status: fc.constantFrom("completed", "waiting", "failed"),
      path: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 4 }),
      fields: fc.dictionary(fc.constantFrom("status", "score"), fc.constantFrom("x", 1, 2)),
      owner: fc.constantFrom(null, "u1", "u2"),
      created: fc.constant<RunOutcome["created"]>([]),
      messages: fc.array(fc.record({ kind: fc.constant("email"), to: fc.constantFrom("a@x.test", null), what: fc.constant("s") }), {
        maxLength: 2,
      }),
    });
    fc.assert(
      fc.property(arb, arb, (p, d) => {
        // An outcome against itself is always unchanged; a different path, owner or status is
        // always a difference of that aspect.
        expect(compareOutcomes(p, structuredClone(p))).toEqual({ verdict: "unchanged", differences: [] });
        const aspects = new Set(compareOutcomes(p, d)?.differences.map((x) => x.aspect));
        expect(aspects.has("path")).toBe(JSON.stringify(p.path) !== JSON.stringify(d.path));
        expect(aspects.has("owner")).toBe(p.owner !== d.owner);
        expect(aspects.has("status")).toBe(p.status !== d.status);
        expect(compareOutcomes(p, d)?.verdict).toBe(aspects.size === 0 ? "unchanged" : "changed");
      }),
    );
    expect(countVerdicts([compareOutcomes(null, outcome()), compareOutcomes(outcome(), outcome()), undefined])).toEqual({
      unchanged: 1,
      changed: 0,
      new: 1,
      no_longer_enrolled: 0,
    });
  });
});

describe("a record at one of its versions, from its audit trail", () => {
  const trail = [
    {
      at: "2026-01-01T00:00:00.000Z",
      changes: [
        { field: "email", old: null, new: "a@x.test" },
        { field: "score", old: null, new: 40 },
      ],
    },
    { at: "2026-01-01T00:05:00.000Z", changes: [{ field: "score", old: 40, new: 80 }] },
    { at: "2026-01-01T00:09:00.000Z", changes: [{ field: "email", old: "a@x.test", new: null }] },
  ];
  it("folds the entries up to the version, a cleared field gone", () => {
    expect(recordAtVersion(trail, "r1", 1)).toEqual({
      id: "r1",
      email: "a@x.test",
      score: 40,
      created_at: trail[0]?.at,
      updated_at: trail[0]?.at,
    });
    expect(recordAtVersion(trail, "r1", 3)).toEqual({ id: "r1", score: 80, created_at: trail[0]?.at, updated_at: trail[2]?.at });
  });
  it("is undefined for a version the trail does not reach", () => {
    expect(recordAtVersion(trail, "r1", 4)).toBeUndefined();
    expect(recordAtVersion(trail, "r1", 0)).toBeUndefined();
  });
});
