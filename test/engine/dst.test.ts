/**
 * One DST rule for every wait and trigger (docs/workflows.md, "Time and DST"): calendar days are
 * calendar days in the zone; a wall time that occurs twice takes the FIRST instant; a wall time
 * that does not exist takes the next valid instant (the end of the gap). Checked over the four
 * 2026 changes of Europe/Paris and America/New_York, for until_time, until_field, relative_date
 * and inactivity, through decide() and the trigger arithmetic, plus a property over any wall time.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { recordFireInstant } from "../../src/engine/date-triggers.js";
import { decide } from "../../src/engine/decide.js";
import { initialState } from "../../src/engine/run-state.js";
import { nextWallTime, zonedInstant } from "../../src/engine/time.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The four changes: the day, the ambiguous or missing wall time, and the instant the rule gives. */
const CHANGES = [
  // New York falls back 02:00 EDT → 01:00 EST: 01:30 happens twice; the first is 01:30 EDT (UTC−4).
  { zone: "America/New_York", day: "2026-11-01", kind: "overlap", time: "01:30", expected: "2026-11-01T05:30:00.000Z" },
  // New York springs forward 02:00 EST → 03:00 EDT: 02:30 does not exist; the gap ends at 03:00 EDT.
  { zone: "America/New_York", day: "2026-03-08", kind: "gap", time: "02:30", expected: "2026-03-08T07:00:00.000Z" },
  // Paris falls back 03:00 CEST → 02:00 CET: 02:30 happens twice; the first is 02:30 CEST (UTC+2).
  { zone: "Europe/Paris", day: "2026-10-25", kind: "overlap", time: "02:30", expected: "2026-10-25T00:30:00.000Z" },
  // Paris springs forward 02:00 CET → 03:00 CEST: 02:30 does not exist; the gap ends at 03:00 CEST.
  { zone: "Europe/Paris", day: "2026-03-29", kind: "gap", time: "02:30", expected: "2026-03-29T01:00:00.000Z" },
] as const;

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
function compile(def: unknown) {
  const v = validateWorkflow(def, fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues, null, 1));
  return compileWorkflow(v.definition);
}

/** Where a one-step delay workflow's timer is due, decided at `nowMs` over `record`. */
function delayDue(delay: Record<string, unknown>, nowMs: number, zone: string, record: Record<string, unknown> = {}) {
  const w = compile({
    key: "dst",
    name: "dst",
    object: "lead",
    trigger: { type: "manual" },
    start: "wait",
    steps: { wait: { type: "delay", ...delay, next: "done" }, done: { type: "end" } },
  });
  const d = decide(
    w,
    initialState("wait"),
    { kind: "continue" },
    { record: { id: "lead1", ...record }, refs: {}, counts: {}, nowMs },
    { runId: "r", seq: 1, nowMs, timeZone: zone },
  );
  const timer = d.commands.find((c) => c.type === "start_timer");
  return timer?.type === "start_timer" ? timer.dueAt : undefined;
}

describe("the DST rule over the four 2026 changes of Paris and New York", () => {
  for (const c of CHANGES) {
    const dayBefore = DateTime.fromISO(c.day, { zone: c.zone }).minus({ days: 1 }).set({ hour: 12 }).toMillis();

    it(`until_time ${c.time} on ${c.day} (${c.zone}, ${c.kind}) → ${c.expected}`, () => {
      // From noon the day before (the other side of the change): the next 01:30/02:30 is on the day.
      expect(delayDue({ until_time: { time: c.time, time_zone: c.zone } }, dayBefore, c.zone)).toBe(c.expected);
      // And from midnight of the day itself (same side as the first instant).
      const midnight = zonedInstant({ ...ymd(c.day), hour: 0, minute: 0 }, c.zone);
      expect(delayDue({ until_time: { time: c.time } }, midnight, c.zone)).toBe(c.expected);
    });

    it(`relative_date at ${c.time}, N calendar days from a date across the change (${c.zone}, ${c.day})`, () => {
      // 90 days before a date 90 calendar days after the change day: the change day, at the wall time.
      const end = DateTime.fromISO(c.day).plus({ days: 90 }).toISODate();
      const t = { type: "relative_date", field: "contract_end_date", offset: { days: 90, before: true }, at: c.time } as const;
      expect(iso(recordFireInstant(t, { contract_end_date: end }, c.zone))).toBe(c.expected);
      // 30 days after a date-time at that wall time a month earlier, without `at`: the same wall time.
      const start = DateTime.fromISO(c.day).minus({ days: 30 }).toISODate();
      const startAt = iso(zonedInstant({ ...ymd(start as string), ...hm(c.time) }, c.zone));
      const after = { type: "relative_date", field: "last_activity_at", offset: { days: 30 } } as const;
      expect(iso(recordFireInstant(after, { last_activity_at: startAt }, c.zone))).toBe(c.expected);
    });

    it(`until_field with a day offset lands on the rule's instant (${c.zone}, ${c.day})`, () => {
      const start = DateTime.fromISO(c.day).minus({ days: 10 }).toISODate() as string;
      const field = iso(zonedInstant({ ...ymd(start), ...hm(c.time) }, c.zone));
      const now = Date.parse(field as string);
      expect(delayDue({ until_field: { field: "last_activity_at", offset: { days: 10 } } }, now, c.zone, { last_activity_at: field })).toBe(
        c.expected,
      );
    });

    it(`inactivity counts calendar days in the zone, not 24-hour days (${c.zone}, ${c.day})`, () => {
      const t = { type: "inactivity", days: 30, field: "last_activity_at" } as const;
      // Last activity at 10:00, 20 days before the change: 30 days later is 10:00 again.
      const start = DateTime.fromISO(c.day, { zone: c.zone }).minus({ days: 20 }).set({ hour: 10 });
      const fired = recordFireInstant(t, { last_activity_at: start.toUTC().toISO() }, c.zone) as number;
      const wall = DateTime.fromMillis(fired, { zone: c.zone });
      expect(wall.toFormat("yyyy-MM-dd HH:mm")).toBe(`${start.plus({ days: 30 }).toISODate()} 10:00`);
      // …which is an hour off 30 × 24 h, the other way round in spring and in autumn.
      expect(Math.abs(fired - (start.toMillis() + 30 * 86_400_000))).toBe(3_600_000);
      // An inactivity whose wall time falls into the gap or overlap of the change day follows the rule too.
      const onTheDay = zonedInstant({ ...ymd(DateTime.fromISO(c.day).minus({ days: 30 }).toISODate() as string), ...hm(c.time) }, c.zone);
      expect(iso(recordFireInstant(t, { last_activity_at: iso(onTheDay) }, c.zone))).toBe(c.expected);
    });
  }

  it("a date field (midnight in the zone) and a plain day offset keep midnight across each change", () => {
    for (const c of CHANGES) {
      const t = { type: "relative_date", field: "contract_end_date", offset: { days: 7, before: true } } as const;
      const end = DateTime.fromISO(c.day).plus({ days: 3 }).toISODate();
      const fired = recordFireInstant(t, { contract_end_date: end }, c.zone) as number;
      expect(DateTime.fromMillis(fired, { zone: c.zone }).toFormat("HH:mm")).toBe("00:00");
    }
  });

  it("property: any wall time in either zone resolves to its first instant, or to the end of its gap", () => {
    const zones = ["America/New_York", "Europe/Paris"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, fromMs, hour, minute) => {
          const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const due = nextWallTime(fromMs, time, undefined, zone);
          expect(due).toBeGreaterThan(fromMs);
          const wall = DateTime.fromMillis(due, { zone });
          const reads = wall.hour * 60 + wall.minute;
          if (reads === hour * 60 + minute) {
            // Exists: no earlier instant after fromMs reads the same (the first of an overlap).
            const hourEarlier = due - 3_600_000;
            const earlier = DateTime.fromMillis(hourEarlier, { zone });
            if (hourEarlier > fromMs) expect(earlier.hour * 60 + earlier.minute === reads && earlier.day === wall.day).toBe(false);
          } else {
            // Missing: the instant is the end of the gap, the first minute after it reads past the time.
            const before = DateTime.fromMillis(due - 1, { zone });
            expect(before.hour * 60 + before.minute).toBeLessThan(hour * 60 + minute);
            expect(reads).toBeGreaterThan(hour * 60 + minute);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

function ymd(day: string) {
  const [year, month, d] = day.split("-").map(Number) as [number, number, number];
  return { year, month, day: d };
}
function hm(time: string) {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { hour, minute };
}
