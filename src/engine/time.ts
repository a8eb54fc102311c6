/**
 * Wait arithmetic. Durations are absolute (a day is 86,400 s). Offsets from a date and calendar
 * waits ("next weekday at 09:00 in Europe/Berlin") use IANA zones through Luxon: a wall time that does not exist (DST
 * spring-forward gap) moves forward by the gap; one that occurs twice (fall-back) takes the first.
 */
import { DateTime } from "luxon";
import type { Duration, Offset } from "./definition.js";

export function durationMs(d: Duration): number {
  return (((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60_000 + (d.seconds ?? 0) * 1_000;
}

/**
 * "N days before / after a date" is calendar arithmetic in the zone: 90 days before 31 March is
 * 31 December at the same wall time, even when a DST change lies between (unlike a delay's
 * duration, which is absolute).
 */
export function shiftByOffset(baseMs: number, o: Offset | undefined, zone: string): number {
  if (!o) return baseMs;
  const amount = { days: o.days ?? 0, hours: o.hours ?? 0, minutes: o.minutes ?? 0, seconds: o.seconds ?? 0 };
  const dt = DateTime.fromMillis(baseMs, { zone });
  return (o.before ? dt.minus(amount) : dt.plus(amount)).toMillis();
}

/** A date (YYYY-MM-DD, midnight in `zone`) or an instant, as epoch ms; undefined when unset or invalid. */
export function dateFieldMs(value: unknown, zone: string): number | undefined {
  if (typeof value !== "string") return undefined;
  const dt = value.length === 10 ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

const WEEKDAY = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type Weekday = keyof typeof WEEKDAY;

/** The first instant strictly after `fromMs` whose wall clock in `zone` is `time` on one of `days`. */
export function nextWallTime(fromMs: number, time: string, days: readonly Weekday[] | undefined, zone: string): number {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const allowed = new Set((days ?? Object.keys(WEEKDAY)).map((d) => WEEKDAY[d as Weekday]));
  const start = DateTime.fromMillis(fromMs, { zone });
  for (let i = 0; i <= 7; i++) {
    const day = start.plus({ days: i });
    if (!allowed.has(day.weekday as 1)) continue;
    const candidate = day.set({ hour, minute, second: 0, millisecond: 0 });
    if (candidate.toMillis() > fromMs) return candidate.toMillis();
  }
  // Unreachable with at least one allowed weekday; a week later is always a match.
  return start.plus({ days: 7 }).set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}
