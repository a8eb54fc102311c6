/**
 * Wait arithmetic, and the one DST rule every wait and trigger follows.
 *
 * - A duration is absolute: a day of a delay's `duration` is 86,400 s.
 * - Calendar days are calendar days in the zone: "N days before / after" a date, an inactivity's
 *   "N days without activity" and a wall time on a day move the date in the zone's calendar and
 *   keep the wall time, whatever DST change lies between. Hours, minutes and seconds of an
 *   offset are absolute.
 * - A wall time that occurs twice (fall-back overlap, 01:30 on 2026-11-01 in New York) is the
 *   FIRST of its two instants (01:30 EDT).
 * - A wall time that does not exist (spring-forward gap, 02:30 on 2026-03-08 in New York) is
 *   the next valid instant: the end of the gap (03:00 EDT).
 *
 * All of it goes through `zonedInstant`; nothing else turns a wall time into an instant.
 */
import { DateTime } from "luxon";
import { addCalendarDays, wallTimeOf, zonedInstant } from "../crm/zoned-time.js";
import type { Duration, Offset } from "./definition.js";

export { type WallTime, wallTimeOf, zonedInstant } from "../crm/zoned-time.js";

const MINUTE_MS = 60_000;

export function durationMs(d: Duration): number {
  return (((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60_000 + (d.seconds ?? 0) * 1_000;
}

/** `days` calendar days after `baseMs` in `zone` (before when negative), at the same wall time. */
export function addDaysInZone(baseMs: number, days: number, zone: string): number {
  if (days === 0) return baseMs;
  return zonedInstant(addCalendarDays(wallTimeOf(baseMs, zone), days), zone);
}

/**
 * "N days before / after a date" is calendar arithmetic in the zone: 90 days before 31 March is
 * 31 December at the same wall time, even when a DST change lies between (unlike a delay's
 * duration, which is absolute). The offset's hours, minutes and seconds are absolute.
 */
export function shiftByOffset(baseMs: number, o: Offset | undefined, zone: string): number {
  if (!o) return baseMs;
  const sign = o.before ? -1 : 1;
  const days = addDaysInZone(baseMs, sign * (o.days ?? 0), zone);
  return days + sign * (((o.hours ?? 0) * 60 + (o.minutes ?? 0)) * MINUTE_MS + (o.seconds ?? 0) * 1_000);
}

/** The instant of `time` ("HH:MM") on the calendar day of `ms` in `zone`. */
export function atWallTime(ms: number, time: string, zone: string): number {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return zonedInstant({ ...wallTimeOf(ms, zone), hour, minute, second: 0, millisecond: 0 }, zone);
}

/** A date (YYYY-MM-DD, midnight in `zone`) or an instant, as epoch ms; undefined when unset or invalid. */
export function dateFieldMs(value: unknown, zone: string): number | undefined {
  if (typeof value !== "string") return undefined;
  if (value.length === 10) {
    const dt = DateTime.fromISO(value, { zone: "UTC" });
    return dt.isValid ? zonedInstant({ year: dt.year, month: dt.month, day: dt.day, hour: 0, minute: 0 }, zone) : undefined;
  }
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

const WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type Weekday = keyof typeof WEEKDAY;

/** The first instant strictly after `fromMs` whose wall clock in `zone` is `time` on one of `days`. */
export function nextWallTime(fromMs: number, time: string, days: readonly Weekday[] | undefined, zone: string): number {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const allowed = new Set((days ?? Object.keys(WEEKDAY)).map((d) => WEEKDAY[d as Weekday]));
  const start = wallTimeOf(fromMs, zone);
  for (let i = 0; i <= 8; i++) {
    const date = addCalendarDays(start, i);
    // Weekday of the calendar date (1 = Monday … 7 = Sunday), independent of any zone.
    const weekday = ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
    if (!allowed.has(weekday as 1)) continue;
    const candidate = zonedInstant({ ...date, hour, minute, second: 0, millisecond: 0 }, zone);
    if (candidate > fromMs) return candidate;
  }
  // Unreachable with at least one allowed weekday: eight calendar days hold every weekday after today.
  return zonedInstant({ ...addCalendarDays(start, 7), hour, minute, second: 0, millisecond: 0 }, zone);
}
