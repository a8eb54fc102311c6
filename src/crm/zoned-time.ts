/**
 * Wall time in an IANA zone, and the one rule that turns a wall time into an instant (used by the
 * engine's waits and by business calendars alike; the DST rules are written in
 * src/engine/time.ts and docs/sla.md):
 * - a wall time that occurs twice (fall-back overlap) is the FIRST of its two instants;
 * - a wall time that does not exist (spring-forward gap) is the end of the gap.
 */
import { DateTime } from "luxon";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A wall-clock reading in some zone: a calendar date and a time of day. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

/** The zone's UTC offset at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).offset * MINUTE_MS;
}

/** The wall clock at an instant in the zone. */
export function wallTimeOf(ms: number, zone: string): WallTime {
  const dt = DateTime.fromMillis(ms, { zone });
  return { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second, millisecond: dt.millisecond };
}

/**
 * The instant at which the wall clock in `zone` reads `wall`: the first of two in a fall-back
 * overlap, the end of the gap in a spring-forward gap (see the file's comment).
 */
export function zonedInstant(wall: WallTime, zone: string): number {
  // The wall time read as if it were UTC; the instant is that minus the offset in force then.
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0, wall.millisecond ?? 0);
  // Zones change their offset at most once in a few weeks: the offsets a day either side are
  // the only candidates.
  const offsets = new Set([offsetAt(local - 36 * HOUR_MS, zone), offsetAt(local, zone), offsetAt(local + 36 * HOUR_MS, zone)]);
  const exact = [...offsets].map((o) => local - o).filter((t) => t + offsetAt(t, zone) === local);
  if (exact.length > 0) return Math.min(...exact);
  // A gap: before it the wall clock reads less than `local`, after it more. The end of the gap
  // is the first instant whose wall clock reads past `local`.
  let lo = local - Math.max(...offsets); // reads before the gap
  let hi = local - Math.min(...offsets); // reads after the gap
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetAt(mid, zone) > local) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The calendar date `days` after (or before, negative) the wall time's, same time of day. */
export function addCalendarDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
