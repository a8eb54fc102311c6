/**
 * The pure part of My availability's working hours (web/src/components/hours/hours.ts): the
 * page's check before saving agrees with the API's (app/working-hours.ts) on any day's spans —
 * what the page lets through the API takes, and what the page stops the API refuses — each
 * problem is put on the right span, and the helpers behind Add a span and Copy Monday.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workingHoursSchema } from "../../src/app/working-hours.js";
import {
  copyMondayToWeekdays,
  type Hours,
  hoursToSend,
  hoursValid,
  MAX_SPANS,
  nextSpan,
  type Span,
  spanProblems,
} from "../../web/src/components/hours/hours.js";

describe("working hours as the page checks them", () => {
  it("agrees with the API on any day's spans: the page stops exactly what the API refuses", () => {
    const time = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 45))
        .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
      fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom("00", "30")).map(([h, m]) => `${h}:${m}`),
      fc.constantFrom("", "9", "12:60", "25:00", "noon", " 08:00 "),
    );
    const span = fc.tuple(time, time) as fc.Arbitrary<Span>;
    fc.assert(
      fc.property(fc.array(span, { maxLength: MAX_SPANS }), (spans) => {
        const page = hoursValid({ mon: spans });
        const api = workingHoursSchema.safeParse(hoursToSend({ mon: spans })).success;
        expect(page).toBe(api);
      }),
      { numRuns: 2000 },
    );
  });

  it("puts each problem on its span: an overlap on the later of the two, as the API's path does", () => {
    expect(
      spanProblems([
        ["09:00", "12:00"],
        ["12:00", "13:00"],
        ["11:00", "14:00"],
        ["18:00", "17:30"],
        ["7am", "9am"],
      ]),
    ).toEqual([
      undefined,
      undefined,
      "Overlaps 09:00–12:00: the spans of a day must not overlap.",
      "The end must be after the start (a span past midnight is two spans, on two days).",
      "Start: a 24-hour time from 00:00 to 23:59, such as 09:00.",
    ]);
    expect(spanProblems([["22:00", "24:00"]])).toEqual([undefined]);
    expect(spanProblems([["24:00", "24:00"]])[0]).toMatch(/^Start/);
  });

  it("offers a next span an hour after the day's last, and copies Monday to Tuesday–Friday only", () => {
    expect(nextSpan([])).toEqual(["09:00", "17:00"]);
    expect(nextSpan([["09:00", "12:00"]])).toEqual(["13:00", "17:00"]);
    expect(nextSpan([["09:00", "21:30"]])).toEqual(["22:30", "24:00"]);
    expect(nextSpan([["09:00", "23:30"]])).toEqual(["", ""]);
    const hours: Hours = {
      mon: [
        ["09:00", "12:00"],
        ["13:00", "17:00"],
      ],
      tue: [["08:00", "16:00"]],
      sat: [["10:00", "14:00"]],
    };
    const copied = copyMondayToWeekdays(hours);
    for (const day of ["tue", "wed", "thu", "fri"] as const) expect(copied[day]).toEqual(hours.mon);
    expect(copied.sat).toEqual(hours.sat);
    // A copy, not the same arrays: editing Tuesday later leaves Monday alone.
    expect(copied.tue).not.toBe(hours.mon);
    expect(copyMondayToWeekdays({ tue: [["08:00", "16:00"]], sun: [["10:00", "12:00"]] })).toEqual({ sun: [["10:00", "12:00"]] });
  });

  it("sends times as HH:MM and leaves days without spans out (days off)", () => {
    expect(hoursToSend({ mon: [[" 9:00", "12:00"]], tue: [] })).toEqual({ mon: [["09:00", "12:00"]] });
  });
});
