/**
 * Business calendars (issue 17; docs/sla.md): when a workspace, a team or a person is open for
 * business. Pure data and the one shape every layer shares — the store keeps it as it is, the
 * API validates it at the edge, the engine's business-time waits and the SLA clocks measure
 * time with it (`./business-time.ts`).
 *
 * Glossary
 * - Opening hours: wall-time spans per weekday in the calendar's IANA zone, the same shape as a
 *   person's working hours (`../assignment/availability.ts`): "09:00"–"17:00", "24:00" may end a
 *   span, the end is exclusive, several spans a day, a weekday that is missing is closed.
 * - Holidays: the public holidays of a country (and optionally one of its regions) from the
 *   `date-holidays` package, plus the calendar's own closed dates. A holiday closes the whole
 *   local date.
 * - Opening: one interval of open time between two instants, [start, end).
 * - Business time: the milliseconds of open time between two instants.
 */
import type { WorkingHours } from "../assignment/availability.js";

/** Public holidays from `date-holidays`: an ISO 3166-1 country code, optionally a region (state) code. */
export interface PublicHolidays {
  /** "FR", "US", "DE". */
  country: string;
  /** "CA" (California in the US), "BY" (Bavaria in DE); unset = the country's national holidays. */
  region?: string | undefined;
}

/** One of the calendar's own closed dates (local date in the calendar's zone). */
export interface ClosedDate {
  /** "2026-12-24" */
  date: string;
  /** "Christmas Eve — office closed" */
  name: string;
}

/** A calendar as it is stored and sent: everything the math needs, nothing more. */
export interface CalendarSpec {
  /** IANA zone in which the opening hours and the dates are read. */
  timeZone: string;
  /** Opening hours by weekday. `{}` or every weekday "00:00"–"24:00" = open all the time (24×7). */
  hours: WorkingHours;
  /** Public holidays that close the calendar; null = none. */
  holidays: PublicHolidays | null;
  /** The calendar's own closed dates. */
  closedDates: readonly ClosedDate[];
}

/** [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** A holiday on a local date, with where it came from. */
export interface Holiday {
  date: string;
  name: string;
  source: "public" | "own";
}
