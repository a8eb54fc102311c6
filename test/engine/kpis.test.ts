/**
 * The KPI fold and arithmetic, pure (issue 22; docs/kpis.md): each answer worked out by hand.
 */
import { describe, expect, it } from "vitest";
import { isQualityKpi } from "../../src/app/kpis/data-quality.js";
import { DRILLS, LISTS } from "../../src/app/kpis/drills.js";
import { KPI_KEYS, KPIS } from "../../src/engine/kpis/definitions.js";
import { escalationOutcome, LAST_LEVEL_WINDOW_MS } from "../../src/engine/kpis/escalations.js";
import { foldEvents, type KpiEvent, type RecordFact } from "../../src/engine/kpis/fold.js";
import { handoffs } from "../../src/engine/kpis/handoff.js";
import { undoChanges } from "../../src/engine/kpis/quality.js";
import { bucketOf, byBucket, byDay, median, percent, placeOf } from "../../src/engine/kpis/summary.js";

const T0 = Date.parse("2026-11-02T09:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const ev = (over: Partial<KpiEvent> & Pick<KpiEvent, "type" | "recordId">): KpiEvent => ({
  workspaceId: "w",
  object: "lead",
  actor: { kind: "person", id: "u1" },
  changes: [],
  occurredAt: at(0),
  ...over,
});
const activity = (
  id: string,
  minutes: number,
  lead: string,
  fields: Record<string, unknown>,
  actor: KpiEvent["actor"] = { kind: "person", id: "u1" },
) =>
  ev({
    type: "record.created",
    object: "activity",
    recordId: id,
    actor,
    occurredAt: at(minutes),
    changes: Object.entries({ related_id: lead, ...fields }).map(([field, value]) => ({ field, new: value })),
  });

describe("the KPI fold", () => {
  it("three leads answered after 2, 5 and 30 minutes: median 5; notes, automated emails and later calls answer nothing", () => {
    const facts = new Map<string, RecordFact>();
    const { changed } = foldEvents(
      [
        ev({ type: "record.created", recordId: "a" }),
        ev({ type: "record.created", recordId: "b" }),
        ev({ type: "record.created", recordId: "c" }),
        activity("x1", 1, "c", { type: "note" }),
        activity("x2", 1, "b", { type: "email", made_by: "handoff" }),
        activity("x3", 1, "a", { type: "email" }, { kind: "workflow", id: "wf" }),
        activity("x4", 2, "a", { type: "call" }),
        activity("x5", 5, "b", { type: "email" }),
        // Logged at 40, happened at 30.
        activity("x6", 40, "c", { type: "meeting", occurred_at: at(30) }),
        activity("x7", 45, "a", { type: "call" }),
      ],
      facts,
    );
    const minutes = ["a", "b", "c"].map((id) => (facts.get(id)?.responseMs as number) / 60_000);
    expect(minutes).toEqual([2, 5, 30]);
    expect(median(minutes)).toBe(5);
    expect(changed.map((f) => f.recordId).sort()).toEqual(["a", "b", "c", "x1", "x2", "x3", "x4", "x5", "x6", "x7"]);
  });

  it("an answer dated in the future counts at its logging; one dated before the lead is history, not an answer", () => {
    const facts = new Map<string, RecordFact>();
    foldEvents(
      [
        ev({ type: "record.created", recordId: "a", occurredAt: at(10) }),
        ev({ type: "record.created", recordId: "b", occurredAt: at(10) }),
        activity("x1", 12, "a", { type: "call", occurred_at: at(600) }),
        activity("x2", 15, "b", { type: "call", occurred_at: at(0) }),
        activity("x3", 20, "b", { type: "email" }),
      ],
      facts,
    );
    expect(facts.get("a")).toMatchObject({ respondedAt: at(12), responseMs: 2 * 60_000 });
    expect(facts.get("b")).toMatchObject({ respondedAt: at(20), responseMs: 10 * 60_000 });
  });

  it("counts later writes by who made them, follows the owner, and sums each day's cell", () => {
    const facts = new Map<string, RecordFact>();
    const owner = (id: string | null) => [{ field: "owner_id", new: id }];
    const { daily } = foldEvents(
      [
        ev({ type: "record.created", recordId: "a", changes: owner("u1") }),
        ev({ type: "record.updated", recordId: "a", occurredAt: at(60) }),
        ev({ type: "record.updated", recordId: "a", occurredAt: at(61), changes: owner("u2") }),
        ev({ type: "record.updated", recordId: "a", actor: { kind: "workflow", id: "wf1" }, occurredAt: at(62) }),
        ev({ type: "record.merged", recordId: "a", actor: { kind: "integration", id: "k" }, occurredAt: at(24 * 60) }),
        ev({
          type: "record.updated",
          recordId: "a",
          actor: { kind: "system", id: "scoring" },
          occurredAt: at(24 * 60),
          changes: owner(null),
        }),
        // A record the log never saw created (before the rollup existed): counted by day only.
        ev({ type: "record.updated", recordId: "old", occurredAt: at(62) }),
      ],
      facts,
    );
    expect(facts.get("a")).toMatchObject({ ownerId: null, personWrites: 2, workflowWrites: 1, otherWrites: 2 });
    expect(facts.has("old")).toBe(false);
    expect(daily.map((d) => [d.day, d.actorKind, d.workflowId, d.writes, d.creates])).toEqual([
      ["2026-11-02", "person", "", 3, 1],
      ["2026-11-02", "workflow", "wf1", 1, 0],
      ["2026-11-03", "integration", "", 1, 0],
      ["2026-11-03", "system", "", 1, 0],
    ]);
  });

  it("a creation folded twice starts the fact once", () => {
    const facts = new Map<string, RecordFact>();
    foldEvents([ev({ type: "record.created", recordId: "a" })], facts);
    foldEvents([ev({ type: "record.created", recordId: "a", occurredAt: at(5) }), ev({ type: "record.updated", recordId: "a" })], facts);
    expect(facts.get("a")).toMatchObject({ createdAt: at(0), personWrites: 1 });
  });
});

describe("deal cycle time in the fold", () => {
  const DAY = 24 * 60;
  const stage = (s: string) => [{ field: "stage", new: s }];
  const deal = (over: Partial<KpiEvent> & Pick<KpiEvent, "type" | "recordId">) => ev({ object: "deal", ...over });

  it("three deals closing after 2, 5 and 30 days: median 5; a reopened deal keeps its first closing; one created closed has no cycle", () => {
    const facts = new Map<string, RecordFact>();
    foldEvents(
      [
        deal({ type: "record.created", recordId: "a", changes: stage("qualification") }),
        deal({ type: "record.created", recordId: "b", changes: stage("qualification") }),
        deal({ type: "record.created", recordId: "c", changes: stage("discovery") }),
        // Imported already won: closed elsewhere, no cycle here — nor when reopened and won again.
        deal({ type: "record.created", recordId: "imported", changes: stage("closed_won") }),
        deal({ type: "record.updated", recordId: "a", occurredAt: at(1 * DAY), changes: stage("proposal") }),
        deal({
          type: "record.updated",
          recordId: "a",
          occurredAt: at(2 * DAY),
          changes: stage("closed_won"),
          actor: { kind: "workflow", id: "wf" },
        }),
        deal({ type: "record.updated", recordId: "b", occurredAt: at(5 * DAY), changes: stage("closed_lost") }),
        // Reopened and won later: the first closing stands.
        deal({ type: "record.updated", recordId: "b", occurredAt: at(6 * DAY), changes: stage("negotiation") }),
        deal({ type: "record.updated", recordId: "b", occurredAt: at(9 * DAY), changes: stage("closed_won") }),
        deal({ type: "record.updated", recordId: "c", occurredAt: at(10 * DAY), changes: [{ field: "amount", new: 5 }] }),
        deal({ type: "record.merged", recordId: "c", occurredAt: at(30 * DAY), changes: stage("closed_won") }),
        deal({ type: "record.updated", recordId: "imported", occurredAt: at(3 * DAY), changes: stage("proposal") }),
        deal({ type: "record.updated", recordId: "imported", occurredAt: at(4 * DAY), changes: stage("closed_won") }),
        // A lead's field named stage closes nothing.
        ev({ type: "record.created", recordId: "lead", changes: stage("closed_won") }),
      ],
      facts,
    );
    const days = ["a", "b", "c"].map((id) => (facts.get(id)?.cycleMs as number) / (DAY * 60_000));
    expect(days).toEqual([2, 5, 30]);
    expect(median(days)).toBe(5);
    expect(facts.get("b")).toMatchObject({ closedAt: at(5 * DAY) });
    expect(facts.get("imported")).toMatchObject({ closedAt: at(0), cycleMs: null });
    expect(facts.get("lead")).toMatchObject({ closedAt: null, cycleMs: null });
  });
});

describe("the KPI registry", () => {
  it("lists records behind exactly the KPIs it says are drillable", () => {
    // The data-quality KPIs list their records through their verdicts (app/kpis/data-quality.ts); the others through DRILLS or LISTS, never both.
    for (const key of KPI_KEYS)
      expect(KPIS[key].drill, key).toBe(DRILLS[key] !== undefined || LISTS[key] !== undefined || isQualityKpi(key));
    for (const key of KPI_KEYS)
      expect([DRILLS[key], LISTS[key], isQualityKpi(key) || undefined].filter(Boolean).length <= 1, key).toBe(true);
  });
});

describe("the KPI arithmetic", () => {
  it("median, percent and days", () => {
    expect(median([30, 2, 5])).toBe(5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percent(3, 6)).toBe(50);
    expect(percent(1, 0)).toBeNull();
    expect([...byDay(["2026-11-03T01:00:00Z", "2026-11-02T23:00:00Z"], (s) => s).keys()]).toEqual(["2026-11-02", "2026-11-03"]);
  });

  it("hours: buckets, their places on a series, and the fold's hourly cells summing to its days", () => {
    const instants = ["2026-11-03T01:59:59.999Z", "2026-11-02T23:00:00.000Z", "2026-11-03T01:00:00.000Z"];
    expect([...byBucket(instants, (s) => s, "hour")].map(([k, v]) => [k, v.length])).toEqual([
      ["2026-11-02T23", 1],
      ["2026-11-03T01", 2],
    ]);
    expect(bucketOf("2026-11-03T01:30:00.000Z", "day")).toBe("2026-11-03");
    expect(placeOf("2026-11-03T01")).toEqual({ day: "2026-11-03", hour: 1 });
    expect(placeOf("2026-11-03")).toEqual({ day: "2026-11-03" });
    const e = (occurredAt: string, kind: "person" | "workflow"): KpiEvent => ({
      workspaceId: "w",
      type: "record.updated",
      object: "lead",
      recordId: "l1",
      actor: { kind, id: kind === "workflow" ? "wf" : "u1" },
      changes: [{ field: "title", new: "x" }],
      occurredAt,
    });
    const { daily, hourly } = foldEvents(
      [
        e("2026-11-03T09:10:00.000Z", "person"),
        e("2026-11-03T09:50:00.000Z", "person"),
        e("2026-11-03T14:00:00.000Z", "person"),
        e("2026-11-03T14:01:00.000Z", "workflow"),
      ],
      new Map(),
    );
    expect(hourly.map((h) => [h.hour, h.actorKind, h.writes])).toEqual([
      ["2026-11-03T09", "person", 2],
      ["2026-11-03T14", "person", 1],
      ["2026-11-03T14", "workflow", 1],
    ]);
    expect(daily.map((d) => [d.day, d.actorKind, d.writes])).toEqual([
      ["2026-11-03", "person", 3],
      ["2026-11-03", "workflow", 1],
    ]);
  });
});

describe("a record as it stood, pure", () => {
  it("undoes the changes made since, newest first, each field back to its value before", () => {
    const now = { status: "qualified", owner_id: "u2", segment: "mid", email: "a@x.test" };
    const since = [
      { changes: [{ field: "owner_id", old: "u1" }] },
      {
        changes: [
          { field: "owner_id", old: null },
          { field: "segment", old: undefined },
        ],
      },
    ];
    expect(undoChanges(now, since)).toEqual({ status: "qualified", owner_id: null, segment: null, email: "a@x.test" });
    expect(undoChanges(now, [])).toEqual(now);
  });
});

describe("onboarding handoff, pure", () => {
  const fields = (o: Record<string, unknown>) => Object.entries(o).map(([field, value]) => ({ field, new: value }));
  it("a deal's first win after its creation, a ticket ready the first time company, contact and assignee are filled", () => {
    const facts = new Map<string, RecordFact>();
    foldEvents(
      [
        ev({ type: "record.created", object: "deal", recordId: "d1", changes: fields({ stage: "proposal", company_id: "co" }) }),
        ev({ type: "record.created", object: "deal", recordId: "d2", changes: fields({ stage: "closed_won" }) }),
        ev({ type: "record.updated", object: "deal", recordId: "d1", occurredAt: at(10), changes: fields({ stage: "closed_won" }) }),
        ev({ type: "record.updated", object: "deal", recordId: "d1", occurredAt: at(20), changes: fields({ stage: "proposal" }) }),
        ev({ type: "record.updated", object: "deal", recordId: "d1", occurredAt: at(30), changes: fields({ stage: "closed_won" }) }),
        // d2 was created won (an import): reopened and won again, it still has no win.
        ev({ type: "record.updated", object: "deal", recordId: "d2", occurredAt: at(10), changes: fields({ stage: "proposal" }) }),
        ev({ type: "record.updated", object: "deal", recordId: "d2", occurredAt: at(20), changes: fields({ stage: "closed_won" }) }),
        ev({
          type: "record.created",
          object: "ticket",
          recordId: "t1",
          occurredAt: at(11),
          changes: fields({ category: "onboarding", company_id: "co", contact_id: "ct" }),
        }),
        ev({ type: "record.updated", object: "ticket", recordId: "t1", occurredAt: at(40), changes: fields({ assignee_id: "u1" }) }),
        ev({ type: "record.updated", object: "ticket", recordId: "t1", occurredAt: at(50), changes: fields({ contact_id: null }) }),
        ev({ type: "record.updated", object: "ticket", recordId: "t1", occurredAt: at(60), changes: fields({ contact_id: "ct" }) }),
        // A billing ticket with everything is not an onboarding.
        ev({
          type: "record.created",
          object: "ticket",
          recordId: "t2",
          changes: fields({ category: "billing", company_id: "co", contact_id: "ct", assignee_id: "u1" }),
        }),
      ],
      facts,
    );
    expect(facts.get("d1")).toMatchObject({ wonAt: at(10), companyId: "co", closedAt: at(10) });
    expect(facts.get("d2")).toMatchObject({ wonAt: null });
    expect(facts.get("t1")).toMatchObject({ readyAt: at(40), ownerId: "u1", contactId: "ct", companyId: "co", category: "onboarding" });
    expect(facts.get("t2")).toMatchObject({ readyAt: null });
  });

  it("matches each win with its company's first ticket ready at or after it", () => {
    const h = handoffs(
      [
        { recordId: "d1", wonAt: at(0), companyId: "a" },
        { recordId: "d2", wonAt: at(100), companyId: "a" },
        { recordId: "d3", wonAt: at(0), companyId: null },
      ],
      [
        { recordId: "late", companyId: "a", readyAt: at(200) },
        { recordId: "soon", companyId: "a", readyAt: at(30) },
        { recordId: "before", companyId: "a", readyAt: at(-5) },
      ],
      60 * 60_000,
    );
    expect(h.map((x) => [x.recordId, x.ticketId, x.afterMs === null ? null : x.afterMs / 60_000, x.inTime])).toEqual([
      ["d1", "soon", 30, true],
      ["d2", "late", 100, false],
      ["d3", null, null, false],
    ]);
  });
});

describe("escalation completion, pure", () => {
  const plan = { targetMs: 4 * 3_600_000, escalationsAfterMs: [2 * 3_600_000] };
  const now = new Date(T0 + 30 * 24 * 3_600_000);
  const stop = (minutesAfter: number, consumedHours: number, outcome = "missed") => ({
    at: at(minutesAfter),
    outcome,
    consumedMs: consumedHours * 3_600_000,
  });
  it("a breach is resolved when its clock stops before level 2's consumed time; not once level 2 fired or at it", () => {
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1], stop: stop(30, 5.9) }, now)).toBe("resolved");
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1], stop: stop(30, 6) }, now)).toBe("unresolved");
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1, 2], stop: null }, now)).toBe("unresolved");
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1], stop: null }, now)).toBe("pending");
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1], stop: stop(30, 5, "cancelled") }, now)).toBe("cancelled");
    // Cancelled after level 2 fired: it was decided before.
    expect(escalationOutcome(1, at(0), { plan, firedLevels: [1, 2], stop: stop(300, 7, "cancelled") }, now)).toBe("unresolved");
  });
  it("the last level has a day: resolved by a stop within it, not once it passed", () => {
    const day = LAST_LEVEL_WINDOW_MS / 60_000;
    expect(escalationOutcome(2, at(0), { plan, firedLevels: [1, 2], stop: stop(day, 30) }, now)).toBe("resolved");
    expect(escalationOutcome(2, at(0), { plan, firedLevels: [1, 2], stop: stop(day + 1, 30) }, now)).toBe("unresolved");
    expect(escalationOutcome(2, at(0), { plan, firedLevels: [1, 2], stop: null }, now)).toBe("unresolved");
    expect(escalationOutcome(2, at(0), { plan, firedLevels: [1, 2], stop: null }, new Date(T0 + 60 * 60_000))).toBe("pending");
  });
});
