/**
 * "The owner's calendar" (docs/sla.md): the user's, else their team's, else the workspace's
 * default, else none (24×7 in the workspace's zone) — with where it came from. A name that
 * matches no calendar is passed over as if unset.
 */
import { describe, expect, it } from "vitest";
import { calendarFor } from "../../src/app/calendars/calendar-for.js";

const cal = (name: string, isDefault = false) => ({ name, isDefault });
const rec = (calendar?: unknown) => ({ data: calendar === undefined ? {} : { calendar } });

describe("calendarFor", () => {
  const calendars = [cal("Business hours", true), cal("Support EU"), cal("Night desk")];

  it("takes the user's own calendar first", () => {
    expect(calendarFor({ user: rec("Night desk"), team: rec("Support EU") }, calendars)).toEqual({
      calendar: cal("Night desk"),
      source: "user",
    });
  });

  it("else their team's", () => {
    expect(calendarFor({ user: rec(), team: rec("Support EU") }, calendars)).toEqual({ calendar: cal("Support EU"), source: "team" });
    expect(calendarFor({ user: rec(null), team: rec("Support EU") }, calendars)?.source).toBe("team");
  });

  it("else the workspace's default", () => {
    expect(calendarFor({ user: rec(), team: rec() }, calendars)).toEqual({ calendar: cal("Business hours", true), source: "workspace" });
    expect(calendarFor({ user: rec(), team: null }, calendars)?.source).toBe("workspace");
    expect(calendarFor({}, calendars)?.source).toBe("workspace");
  });

  it("else none: the caller reads that as open 24×7 in the workspace's zone", () => {
    const noDefault = [cal("Support EU"), cal("Night desk")];
    expect(calendarFor({ user: rec(), team: rec() }, noDefault)).toBeNull();
    expect(calendarFor({}, [])).toBeNull();
  });

  it("passes over a name that matches no calendar, and anything that is not a name", () => {
    expect(calendarFor({ user: rec("Gone"), team: rec("Support EU") }, calendars)?.calendar.name).toBe("Support EU");
    expect(calendarFor({ user: rec(42), team: rec("Gone") }, calendars)?.source).toBe("workspace");
    expect(calendarFor({ user: rec("Gone") }, [cal("Support EU")])).toBeNull();
  });
});
