/**
 * Availability (crm/assignment/availability.ts): PTO, the person's own switch, and working hours
 * read as wall time in the person's zone on the date in question, across DST changes.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type Availability, judgeAvailability, overlappingSpans, WEEKDAYS, type WorkingHours } from "../../../src/crm/assignment/index.js";

const NINE_TO_FIVE: WorkingHours = {
  mon: [["09:00", "17:00"]],
  tue: [["09:00", "17:00"]],
  wed: [["09:00", "17:00"]],
  thu: [["09:00", "17:00"]],
  fri: [["09:00", "17:00"]],
};
const person = (over: Partial<Availability> = {}): Availability => ({ timeZone: "UTC", pto: [], availableNow: true, ...over });
const judge = (over: Partial<Availability>, iso: string) => judgeAvailability(person(over), new Date(iso));

describe("PTO", () => {
  const pto = [{ start: "2026-12-01T00:00:00.000Z", end: "2026-12-12T00:00:00.000Z" }];

  it("excludes inside the half-open period, saying until when", () => {
    expect(judge({ pto }, "2026-12-05T10:00:00Z")).toEqual({
      ok: false,
      reason: { code: "pto", until: "2026-12-12T00:00:00.000Z", text: "on PTO until 12 Dec" },
    });
    expect(judge({ pto }, "2026-12-01T00:00:00Z")).toMatchObject({ ok: false, reason: { code: "pto" } });
    expect(judge({ pto }, "2026-11-30T23:59:59.999Z")).toEqual({ ok: true });
    expect(judge({ pto }, "2026-12-12T00:00:00Z")).toEqual({ ok: true });
  });

  it("says the end in the person's zone, with the time when it is not midnight there, and the year when it is another", () => {
    expect(judge({ pto, timeZone: "America/New_York" }, "2026-12-05T10:00:00Z")).toMatchObject({
      reason: { until: "2026-12-12T00:00:00.000Z", text: "on PTO until 11 Dec 19:00" },
    });
    const newYear = [{ start: "2026-12-20T00:00:00+01:00", end: "2027-01-04T00:00:00+01:00" }];
    expect(judge({ pto: newYear, timeZone: "Europe/Berlin" }, "2026-12-24T12:00:00Z")).toMatchObject({
      reason: { until: "2027-01-03T23:00:00.000Z", text: "on PTO until 4 Jan 2027" },
    });
  });

  it("follows periods that touch or overlap to the day the person is really back", () => {
    const chained = [
      { start: "2026-08-10T00:00:00Z", end: "2026-08-20T00:00:00Z" },
      { start: "2026-08-25T00:00:00Z", end: "2026-08-29T00:00:00Z" },
      { start: "2026-08-20T00:00:00Z", end: "2026-08-26T00:00:00Z" },
    ];
    expect(judge({ pto: chained }, "2026-08-12T00:00:00Z")).toMatchObject({
      reason: { until: "2026-08-29T00:00:00.000Z", text: "on PTO until 29 Aug" },
    });
  });

  it("comes before the switch and the hours", () => {
    expect(judge({ pto, availableNow: false, workingHours: { sat: [] } }, "2026-12-05T10:00:00Z")).toMatchObject({
      reason: { code: "pto" },
    });
  });
});

describe("the person's switch", () => {
  it("switched off excludes, whatever the hours say", () => {
    expect(judge({ availableNow: false }, "2026-12-07T10:00:00Z")).toEqual({
      ok: false,
      reason: { code: "unavailable", text: "switched to unavailable" },
    });
  });
});

describe("working hours", () => {
  it("says the local time, the day and the zone when outside them", () => {
    expect(judge({ timeZone: "Asia/Tokyo", workingHours: NINE_TO_FIVE }, "2026-12-07T10:40:00Z")).toEqual({
      ok: false,
      reason: {
        code: "outside_hours",
        localTime: "19:40",
        weekday: "mon",
        timeZone: "Asia/Tokyo",
        text: "outside working hours, Mon 19:40 in Asia/Tokyo",
      },
    });
  });

  it("no working hours (undefined or {}) means no restriction; a missing or empty day is a day off", () => {
    const saturday = "2026-12-05T03:00:00Z";
    expect(judge({}, saturday)).toEqual({ ok: true });
    expect(judge({ workingHours: {} }, saturday)).toEqual({ ok: true });
    expect(judge({ workingHours: NINE_TO_FIVE }, saturday)).toMatchObject({ ok: false, reason: { code: "outside_hours" } });
    expect(judge({ workingHours: { sat: [] } }, saturday)).toMatchObject({ ok: false, reason: { weekday: "sat" } });
  });

  it("a span's start is in, its end is out; 24:00 ends the day", () => {
    const evening: WorkingHours = { mon: [["18:00", "24:00"]] };
    expect(judge({ workingHours: evening }, "2026-12-07T18:00:00Z")).toEqual({ ok: true });
    expect(judge({ workingHours: evening }, "2026-12-07T23:59:59.999Z")).toEqual({ ok: true });
    expect(judge({ workingHours: evening }, "2026-12-07T17:59:59.999Z")).toMatchObject({ ok: false });
    expect(judge({ workingHours: evening }, "2026-12-08T00:00:00Z")).toMatchObject({ ok: false, reason: { weekday: "tue" } });
    const split: WorkingHours = {
      mon: [
        ["08:00", "12:00"],
        ["13:00", "17:00"],
      ],
    };
    expect(judge({ workingHours: split }, "2026-12-07T12:30:00Z")).toMatchObject({ ok: false, reason: { localTime: "12:30" } });
    expect(judge({ workingHours: split }, "2026-12-07T13:00:00Z")).toEqual({ ok: true });
  });

  it("spans of a day overlap when one starts before another ends; touching spans do not", () => {
    expect(
      overlappingSpans([
        ["09:00", "12:00"],
        ["12:00", "13:00"],
        ["13:00", "24:00"],
      ]),
    ).toEqual([]);
    expect(
      overlappingSpans([
        ["09:00", "12:00"],
        ["13:00", "17:00"],
        ["11:30", "13:30"],
        ["10:00", "10:30"],
      ]),
    ).toEqual([
      { index: 2, earlier: 0 },
      { index: 3, earlier: 0 },
    ]);
    // A span refused on its own (end before start, unreadable) is not also reported as overlapping.
    expect(
      overlappingSpans([
        ["09:00", "17:00"],
        ["12:00", "11:00"],
        ["9am", "5pm"],
      ]),
    ).toEqual([]);
  });

  it("an unknown zone excludes when the hours need it, and is not read when there are none", () => {
    expect(judge({ timeZone: "Mars/Olympus", workingHours: NINE_TO_FIVE }, "2026-12-07T12:00:00Z")).toEqual({
      ok: false,
      reason: {
        code: "bad_time_zone",
        timeZone: "Mars/Olympus",
        text: 'time zone "Mars/Olympus" is not known, so working hours cannot be judged',
      },
    });
    expect(judge({ timeZone: "Mars/Olympus" }, "2026-12-07T12:00:00Z")).toEqual({ ok: true });
    // The PTO sentence falls back to UTC for an unknown zone.
    const pto = [{ start: "2026-12-01T00:00:00Z", end: "2026-12-12T00:00:00Z" }];
    expect(judge({ timeZone: "Mars/Olympus", pto }, "2026-12-07T12:00:00Z")).toMatchObject({ reason: { text: "on PTO until 12 Dec" } });
  });

  /** 09:00–17:00 on a Monday in `zone`: the instants it opens and closes. */
  const cases = [
    // New York: EST (−5) before 8 Mar 2026, EDT (−4) from then to 1 Nov.
    { zone: "America/New_York", monday: "2026-03-02", open: "2026-03-02T14:00:00Z", close: "2026-03-02T22:00:00Z" },
    { zone: "America/New_York", monday: "2026-03-09", open: "2026-03-09T13:00:00Z", close: "2026-03-09T21:00:00Z" },
    { zone: "America/New_York", monday: "2026-10-26", open: "2026-10-26T13:00:00Z", close: "2026-10-26T21:00:00Z" },
    { zone: "America/New_York", monday: "2026-11-02", open: "2026-11-02T14:00:00Z", close: "2026-11-02T22:00:00Z" },
    // Berlin: CET (+1) before 29 Mar 2026, CEST (+2) to 25 Oct.
    { zone: "Europe/Berlin", monday: "2026-03-23", open: "2026-03-23T08:00:00Z", close: "2026-03-23T16:00:00Z" },
    { zone: "Europe/Berlin", monday: "2026-03-30", open: "2026-03-30T07:00:00Z", close: "2026-03-30T15:00:00Z" },
    { zone: "Europe/Berlin", monday: "2026-10-26", open: "2026-10-26T08:00:00Z", close: "2026-10-26T16:00:00Z" },
    // Sydney (southern DST): AEDT (+11) until 5 Apr 2026, AEST (+10) until 4 Oct; the local Monday
    // morning is Sunday in UTC.
    { zone: "Australia/Sydney", monday: "2026-03-30", open: "2026-03-29T22:00:00Z", close: "2026-03-30T06:00:00Z" },
    { zone: "Australia/Sydney", monday: "2026-04-06", open: "2026-04-05T23:00:00Z", close: "2026-04-06T07:00:00Z" },
    { zone: "Australia/Sydney", monday: "2026-10-05", open: "2026-10-04T22:00:00Z", close: "2026-10-05T06:00:00Z" },
  ];

  it.each(cases)("09:00–17:00 in $zone on Monday $monday is $open to $close", ({ zone, open, close }) => {
    const instant = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs).toISOString();
    const hours = { timeZone: zone, workingHours: { mon: [["09:00", "17:00"]] } as WorkingHours };
    expect(judge(hours, instant(open))).toEqual({ ok: true });
    expect(judge(hours, instant(close, -1))).toEqual({ ok: true });
    expect(judge(hours, instant(open, -1))).toMatchObject({ ok: false, reason: { code: "outside_hours", localTime: "08:59" } });
    expect(judge(hours, instant(close))).toMatchObject({ ok: false, reason: { code: "outside_hours", localTime: "17:00" } });
  });

  it("a wall time read twice in a fall-back overlap counts both times", () => {
    // 1 Nov 2026 in New York: 01:00–02:00 happens at 05:00Z (EDT) and again at 06:00Z (EST).
    const hours = { timeZone: "America/New_York", workingHours: { sun: [["01:00", "02:00"]] } as WorkingHours };
    expect(judge(hours, "2026-11-01T05:30:00Z")).toEqual({ ok: true });
    expect(judge(hours, "2026-11-01T06:30:00Z")).toEqual({ ok: true });
    expect(judge(hours, "2026-11-01T07:00:00Z")).toMatchObject({ ok: false, reason: { localTime: "02:00" } });
  });

  const ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
  ];
  const hhmm = fc
    .integer({ min: 0, max: 24 * 60 })
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  const span = fc.tuple(hhmm, hhmm).filter(([a, b]) => a < b);
  const workingHours = fc.dictionary(fc.constantFrom(...WEEKDAYS), fc.array(span, { maxLength: 3 }), { minKeys: 1 });
  // Uniform instants, and instants within two days of the zones' DST changes in 2026.
  const TRANSITIONS = [
    "2026-03-08T07:00:00Z",
    "2026-11-01T06:00:00Z",
    "2026-03-29T01:00:00Z",
    "2026-10-25T01:00:00Z",
    "2026-04-04T16:00:00Z",
    "2026-10-03T16:00:00Z",
  ];
  const instant = fc.oneof(
    fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true }),
    fc
      .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }))
      .map(([t, d]) => new Date(Date.parse(t) + d)),
  );

  it("for any instant: ok exactly when the wall time in the zone (Luxon setZone) falls in a span of that weekday", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), workingHours, instant, (timeZone, hours, at) => {
        const local = DateTime.fromJSDate(at).setZone(timeZone);
        const day = local.setLocale("en").toFormat("ccc").toLowerCase() as keyof WorkingHours;
        const wall = local.toFormat("HH:mm");
        const inside = (hours[day] ?? []).some(([start, end]) => start <= wall && wall < end);
        const verdict = judgeAvailability(person({ timeZone, workingHours: hours }), at);
        if (inside) expect(verdict).toEqual({ ok: true });
        else
          expect(verdict).toEqual({
            ok: false,
            reason: {
              code: "outside_hours",
              localTime: wall,
              weekday: day,
              timeZone,
              text: expect.stringContaining(`${wall} in ${timeZone}`),
            },
          });
      }),
      { numRuns: 2000 },
    );
  });
});
