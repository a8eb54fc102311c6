/**
 * Business-time math (pure): the DST cases issue 17 names, holidays, and properties over random
 * calendars — adding then measuring round-trips, results never fall in closed time, holidays
 * are never open.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { WEEKDAYS, type WorkingHours } from "../../../src/crm/assignment/availability.js";
import {
  addBusinessDays,
  addBusinessTime,
  businessTimeBetween,
  compileCalendar,
  holidaysBetween,
  isOpen,
  nextOpening,
  openingsBetween,
} from "../../../src/crm/calendar/business-time.js";
import type { CalendarSpec } from "../../../src/crm/calendar/calendar.js";

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const weekdays = (spans: Array<[string, string]>): WorkingHours => ({ mon: spans, tue: spans, wed: spans, thu: spans, fri: spans });
const cal = (timeZone: string, hours: WorkingHours, more: Partial<CalendarSpec> = {}) =>
  compileCalendar({ timeZone, hours, holidays: null, closedDates: [], ...more });

describe("DST: Europe/Paris", () => {
  it("2026-03-29 (spring forward 02:00 → 03:00): a night span is an hour shorter, a 24×7 day has 23 hours", () => {
    const night = cal("Europe/Paris", { sun: [["00:00", "06:00"]] });
    // 00:00 CET = 23:00Z the day before; 06:00 CEST = 04:00Z.
    expect(openingsBetween(night, t("2026-03-28T00:00:00Z"), t("2026-03-30T00:00:00Z")).map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ["2026-03-28T23:00:00.000Z", "2026-03-29T04:00:00.000Z"],
    ]);
    expect(businessTimeBetween(night, t("2026-03-28T00:00:00Z"), t("2026-03-30T00:00:00Z"))).toBe(5 * H);

    const always = cal("Europe/Paris", {});
    expect(businessTimeBetween(always, t("2026-03-28T23:00:00Z"), t("2026-03-29T22:00:00Z"))).toBe(23 * H);
    // 24 business hours on a 24×7 calendar are 24 real hours, whatever the wall clock does.
    expect(iso(addBusinessTime(always, t("2026-03-28T23:00:00Z"), 24 * H))).toBe("2026-03-29T23:00:00.000Z");
  });

  it("2026-03-29: a calendar that opens during the missing hour opens at the end of the gap", () => {
    const c = cal("Europe/Paris", { sun: [["02:30", "05:00"]] });
    // 02:30 does not exist that night: the opening starts at 03:00 CEST (01:00Z) and ends 05:00 CEST (03:00Z).
    expect(iso(nextOpening(c, t("2026-03-29T00:00:00Z")))).toBe("2026-03-29T01:00:00.000Z");
    expect(businessTimeBetween(c, t("2026-03-29T00:00:00Z"), t("2026-03-29T12:00:00Z"))).toBe(2 * H);
    expect(isOpen(c, t("2026-03-29T00:59:59Z"))).toBe(false);
    expect(isOpen(c, t("2026-03-29T01:00:00Z"))).toBe(true);
    // A week later, with no gap, the same span is 2 h 30 from 02:30 CEST (00:30Z).
    expect(iso(nextOpening(c, t("2026-04-05T00:00:00Z")))).toBe("2026-04-05T00:30:00.000Z");
  });

  it("2026-10-25 (fall back 03:00 → 02:00): a night span is an hour longer; office hours stay local", () => {
    const night = cal("Europe/Paris", { sun: [["00:00", "06:00"]] });
    expect(businessTimeBetween(night, t("2026-10-24T00:00:00Z"), t("2026-10-26T00:00:00Z"))).toBe(7 * H);
    const office = cal("Europe/Paris", weekdays([["09:00", "17:00"]]));
    // Friday 09:00 CEST (07:00Z) + 16 business hours = Monday 17:00 CET (16:00Z).
    expect(iso(addBusinessTime(office, t("2026-10-23T07:00:00Z"), 16 * H))).toBe("2026-10-26T16:00:00.000Z");
    expect(businessTimeBetween(office, t("2026-10-23T07:00:00Z"), t("2026-10-26T16:00:00Z"))).toBe(16 * H);
  });
});

describe("DST: America/New_York", () => {
  const office = cal("America/New_York", weekdays([["09:00", "17:00"]]));

  it("2026-03-08 (spring forward): Friday 13:00 EST + 8 business hours = Monday 13:00 EDT", () => {
    expect(iso(addBusinessTime(office, t("2026-03-06T18:00:00Z"), 8 * H))).toBe("2026-03-09T17:00:00.000Z");
    expect(businessTimeBetween(office, t("2026-03-06T18:00:00Z"), t("2026-03-09T17:00:00Z"))).toBe(8 * H);
  });

  it("2026-11-01 (fall back): Friday 13:00 EDT + 8 business hours = Monday 13:00 EST", () => {
    expect(iso(addBusinessTime(office, t("2026-10-30T17:00:00Z"), 8 * H))).toBe("2026-11-02T18:00:00.000Z");
    // The night of the change: a 00:00–04:00 Sunday span holds five real hours.
    const night = cal("America/New_York", { sun: [["00:00", "04:00"]] });
    expect(businessTimeBetween(night, t("2026-10-31T00:00:00Z"), t("2026-11-02T00:00:00Z"))).toBe(5 * H);
  });
});

describe("a 24×7 calendar", () => {
  it("adds and measures absolute time", () => {
    const always = cal("UTC", {});
    expect(isOpen(always, t("2026-06-01T03:00:00Z"))).toBe(true);
    expect(iso(addBusinessTime(always, t("2026-06-01T03:00:00Z"), 100 * H))).toBe("2026-06-05T07:00:00.000Z");
    expect(businessTimeBetween(always, t("2026-06-01T00:00:00Z"), t("2026-07-01T00:00:00Z"))).toBe(30 * 24 * H);
    // Touching days are one opening, not thirty.
    expect(openingsBetween(always, t("2026-06-01T00:00:00Z"), t("2026-07-01T00:00:00Z"))).toHaveLength(1);
  });
});

describe("holidays", () => {
  it("a public holiday moves the result past its date (Noël, Friday 2026-12-25, France)", () => {
    const fr = cal("Europe/Paris", weekdays([["09:00", "17:00"]]), { holidays: { country: "FR" } });
    // Thursday 13:00 CET (12:00Z): 4 h that day, Friday closed, Monday 09:00 + 4 h = 13:00 CET.
    expect(iso(addBusinessTime(fr, t("2026-12-24T12:00:00Z"), 8 * H))).toBe("2026-12-28T12:00:00.000Z");
    expect(isOpen(fr, t("2026-12-25T10:00:00Z"))).toBe(false);
    expect(holidaysBetween(fr, "2026-12-20", "2026-12-31")).toEqual([{ date: "2026-12-25", name: "Christmas Day", source: "public" }]);
  });

  it("a region's holiday closes only that region (César Chávez Day, California)", () => {
    const ca = cal("America/Los_Angeles", weekdays([["09:00", "17:00"]]), { holidays: { country: "US", region: "CA" } });
    const us = cal("America/Los_Angeles", weekdays([["09:00", "17:00"]]), { holidays: { country: "US" } });
    const tuesdayNoon = t("2026-03-31T19:00:00Z");
    expect(isOpen(ca, tuesdayNoon)).toBe(false);
    expect(isOpen(us, tuesdayNoon)).toBe(true);
  });

  it("the calendar's own closed dates close like a holiday and keep their name", () => {
    const own = cal("Europe/Paris", weekdays([["09:00", "17:00"]]), {
      holidays: { country: "FR" },
      closedDates: [{ date: "2026-12-24", name: "Christmas Eve" }],
    });
    expect(iso(nextOpening(own, t("2026-12-23T17:00:00Z")))).toBe("2026-12-28T08:00:00.000Z");
    expect(holidaysBetween(own, "2026-12-24", "2026-12-25").map((h) => [h.date, h.source])).toEqual([
      ["2026-12-24", "own"],
      ["2026-12-25", "public"],
    ]);
  });
});

describe("business days", () => {
  const office = cal("Europe/Paris", { ...weekdays([["09:00", "17:00"]]), fri: [["09:00", "15:00"]] }, { holidays: { country: "FR" } });

  it("keeps the wall time on the N-th open date, skipping weekends and holidays", () => {
    // Wednesday 2026-12-23 10:00 CET + 2 business days: Thursday 24, (Friday 25 is Noël) Monday 28.
    expect(iso(addBusinessDays(office, t("2026-12-23T09:00:00Z"), 2))).toBe("2026-12-28T09:00:00.000Z");
  });

  it("lands on the target date's closing time when the wall time is after it", () => {
    // Thursday 16:30 + 1 business day: Friday closes at 15:00.
    expect(iso(addBusinessDays(office, t("2026-06-04T14:30:00Z"), 1))).toBe("2026-06-05T13:00:00.000Z");
  });

  it("starts from the next opening when asked in closed time", () => {
    // Saturday → Monday 09:00 is the start; + 1 = Tuesday 09:00 CEST (07:00Z).
    expect(iso(addBusinessDays(office, t("2026-06-06T12:00:00Z"), 1))).toBe("2026-06-09T07:00:00.000Z");
  });
});

describe("a calendar that never opens", () => {
  it("has no next opening and no end to business time", () => {
    const closed = cal("UTC", { mon: [] });
    expect(nextOpening(closed, t("2026-01-01T00:00:00Z"))).toBeUndefined();
    expect(addBusinessTime(closed, t("2026-01-01T00:00:00Z"), H)).toBeUndefined();
    expect(addBusinessDays(closed, t("2026-01-01T00:00:00Z"), 1)).toBeUndefined();
  });
});

// ---- properties over random calendars ------------------------------------------------------

const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham"];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** 0–3 non-overlapping spans on quarter hours, "24:00" allowed as an end. */
const daySpans = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 })
  .map((qs) => qs.sort((a, b) => a - b))
  .map((qs) => {
    const spans: Array<[string, string]> = [];
    for (let i = 0; i + 1 < qs.length; i += 2) spans.push([hhmm((qs[i] as number) * 15), hhmm((qs[i + 1] as number) * 15)]);
    return spans;
  });

const calendarSpec: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    allDay: fc.boolean(),
    days: fc.array(daySpans, { minLength: 7, maxLength: 7 }),
    holidays: fc.constantFrom(null, { country: "FR" }, { country: "US", region: "CA" }, { country: "AU", region: "NSW" }),
    closed: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 20 }),
  })
  .map(({ timeZone, allDay, days, holidays, closed }) => {
    const hours: WorkingHours = allDay ? {} : Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i] ?? []]));
    // At least one span in the week, so that the calendar opens.
    if (!allDay && WEEKDAYS.every((d) => (hours[d] ?? []).length === 0))
      (hours as Record<string, Array<[string, string]>>).wed = [["10:00", "11:00"]];
    const closedDates = closed.map((n) => ({
      date: DateTime.fromISO("2026-01-01", { zone: "UTC" }).plus({ days: n }).toISODate() as string,
      name: `closed ${n}`,
    }));
    return { timeZone, hours, holidays, closedDates };
  });

const instant2026 = fc.integer({ min: t("2026-01-01T00:00:00Z"), max: t("2027-06-30T00:00:00Z") });
const businessDuration = fc.integer({ min: 1, max: 60 * H });

/** The local date of an instant in the calendar's zone. */
const localDate = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISODate() as string;

describe("properties", () => {
  it("adding then measuring business time round-trips", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, businessDuration, (spec, start, d) => {
        const c = compileCalendar(spec);
        const end = addBusinessTime(c, start, d);
        expect(end).toBeDefined();
        expect(businessTimeBetween(c, start, end as number)).toBe(d);
      }),
      { numRuns: 150 },
    );
  });

  it("a result never falls in closed time: the millisecond before it is open", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, businessDuration, (spec, start, d) => {
        const c = compileCalendar(spec);
        const end = addBusinessTime(c, start, d) as number;
        expect(isOpen(c, end - 1)).toBe(true);
        expect(businessTimeBetween(c, end - 1, end)).toBe(1);
      }),
      { numRuns: 150 },
    );
  });

  it("more business time never ends earlier", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, businessDuration, businessDuration, (spec, start, a, b) => {
        const c = compileCalendar(spec);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(c, start, lo) as number).toBeLessThanOrEqual(addBusinessTime(c, start, hi) as number);
      }),
      { numRuns: 100 },
    );
  });

  it("holidays are skipped: no opening touches a closed date", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, (spec, start) => {
        const c = compileCalendar(spec);
        const from = localDate(start, spec.timeZone);
        const to = localDate(start + 40 * 24 * H, spec.timeZone);
        const closed = new Set(holidaysBetween(c, from, to).map((h) => h.date));
        for (const o of openingsBetween(c, start, start + 40 * 24 * H)) {
          expect(closed.has(localDate(o.start, spec.timeZone))).toBe(false);
          expect(closed.has(localDate(o.end - 1, spec.timeZone))).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("the next opening is open, not before the instant, with no open time between", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, (spec, at) => {
        const c = compileCalendar(spec);
        const next = nextOpening(c, at) as number;
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isOpen(c, next)).toBe(true);
        expect(businessTimeBetween(c, at, next)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it("business days land on an open date, inside or at the end of an opening", () => {
    fc.assert(
      fc.property(calendarSpec, instant2026, fc.integer({ min: 1, max: 10 }), (spec, start, days) => {
        const c = compileCalendar(spec);
        const end = addBusinessDays(c, start, days) as number;
        expect(end).toBeGreaterThan(start);
        expect(isOpen(c, end) || isOpen(c, end - 1)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
