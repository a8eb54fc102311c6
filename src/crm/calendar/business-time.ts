/**
 * Business-time math on a calendar (docs/sla.md): when it is open, the next opening, adding and
 * measuring open time. Pure: instants come in as epoch milliseconds, nothing reads a clock.
 *
 * Everything is built on one primitive, the openings of a local date: for each span of the
 * date's weekday (unless the date is a holiday), the instants at which the wall clock in the
 * calendar's zone reads its start and its end (`zonedInstant`). So:
 * - "09:00–17:00" is nine to five local time on either side of a DST change;
 * - a span that contains the spring-forward gap is an hour shorter in real time, one that
 *   contains the fall-back overlap an hour longer;
 * - a span that opens inside the gap ("02:30" on 2026-03-29 in Paris) opens at the end of the
 *   gap (03:00 CEST); a span that starts or ends inside the overlap takes the first reading;
 * - openings that touch (Monday's "22:00–24:00" and Tuesday's "00:00–06:00", or a 24×7 week)
 *   are one opening.
 */
import { WEEKDAYS, type Weekday } from "../assignment/availability.js";
import { addCalendarDays, type WallTime, wallTimeOf, zonedInstant } from "../zoned-time.js";
import type { CalendarSpec, Holiday, Interval } from "./calendar.js";
import { publicHolidays } from "./public-holidays.js";

const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1_440;
/** How far ahead the next opening is looked for: a calendar closed for longer never opens. */
const HORIZON_DAYS = 3 * 366;
/** Dates are scanned in windows of this many days. */
const WINDOW_DAYS = 14;

type Minutes = readonly [start: number, end: number];

/** A calendar ready for the math: spans as minutes, holidays by local date (filled per year). */
export interface CompiledCalendar {
  readonly spec: CalendarSpec;
  readonly zone: string;
  /** Spans by weekday index (0 = Monday), sorted, as minutes of the day. */
  readonly spans: readonly (readonly Minutes[])[];
  /** Holidays by local date, for the years asked so far. */
  readonly holidays: Map<string, Holiday>;
  readonly yearsLoaded: Set<number>;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Compiles a calendar's spec. The spec is assumed valid (the edge refuses overlapping,
 * inverted and unreadable spans); a span that is not is skipped rather than trusted.
 */
export function compileCalendar(spec: CalendarSpec): CompiledCalendar {
  const allDay = Object.keys(spec.hours).length === 0;
  const spans = WEEKDAYS.map((day: Weekday) => {
    if (allDay) return [[0, MINUTES_PER_DAY] as const];
    return (spec.hours[day] ?? [])
      .map(([s, e]) => [minutes(s), minutes(e)] as const)
      .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && s < e && e <= MINUTES_PER_DAY)
      .sort((a, b) => a[0] - b[0]);
  });
  return { spec, zone: spec.timeZone, spans, holidays: new Map(), yearsLoaded: new Set() };
}

/** "2026-03-29" of a wall time. */
function dateKey(w: { year: number; month: number; day: number }): string {
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** The holiday on a local date, if any (public holidays of its year loaded on first use). */
export function holidayOn(cal: CompiledCalendar, date: { year: number; month: number; day: number }): Holiday | undefined {
  if (!cal.yearsLoaded.has(date.year)) {
    cal.yearsLoaded.add(date.year);
    if (cal.spec.holidays) for (const h of publicHolidays(cal.spec.holidays, date.year)) cal.holidays.set(h.date, h);
    // The calendar's own dates win over a public holiday on the same date (their name is the admin's).
    for (const c of cal.spec.closedDates) {
      if (c.date.startsWith(`${date.year}-`)) cal.holidays.set(c.date, { date: c.date, name: c.name, source: "own" });
    }
  }
  return cal.holidays.get(dateKey(date));
}

/** Weekday index of a calendar date, 0 = Monday, independent of any zone. */
function weekdayIndex(date: WallTime): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

function midnight(date: WallTime): WallTime {
  return { year: date.year, month: date.month, day: date.day, hour: 0, minute: 0, second: 0, millisecond: 0 };
}

/** The instant at which the wall clock reads `m` minutes into the local date (1,440 = next midnight). */
function instantAt(date: WallTime, m: number, zone: string): number {
  if (m === MINUTES_PER_DAY) return zonedInstant(addCalendarDays(midnight(date), 1), zone);
  return zonedInstant({ ...midnight(date), hour: Math.floor(m / 60), minute: m % 60 }, zone);
}

/** The openings of one local date, in order (none on a holiday). */
function openingsOfDate(cal: CompiledCalendar, date: WallTime): Interval[] {
  if (holidayOn(cal, date)) return [];
  const out: Interval[] = [];
  for (const [s, e] of cal.spans[weekdayIndex(date)] ?? []) {
    const start = instantAt(date, s, cal.zone);
    const end = instantAt(date, e, cal.zone);
    // A span wholly inside a spring-forward gap is never read on the wall clock.
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Appends an opening, joining it to the last one when they touch. */
function append(out: Interval[], i: Interval): void {
  const last = out[out.length - 1];
  if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
  else out.push({ ...i });
}

/** The openings that overlap [fromMs, toMs), clipped to it, joined where they touch. */
export function openingsBetween(cal: CompiledCalendar, fromMs: number, toMs: number): Interval[] {
  const out: Interval[] = [];
  if (toMs <= fromMs) return out;
  // Start a day early: the local date of `fromMs` can begin before it only by a day at most.
  let date = addCalendarDays(midnight(wallTimeOf(fromMs, cal.zone)), -1);
  while (zonedInstant(date, cal.zone) < toMs) {
    for (const o of openingsOfDate(cal, date)) {
      const start = Math.max(o.start, fromMs);
      const end = Math.min(o.end, toMs);
      if (end > start) append(out, { start, end });
    }
    date = addCalendarDays(date, 1);
  }
  return out;
}

/**
 * The opening that holds `atMs` or is the first after it, or undefined when the calendar stays
 * closed for the whole horizon (three years). Its start may be clipped to a day before `atMs`,
 * its end to the window it was found in: callers use only whether it starts by `atMs`.
 */
function openingFrom(cal: CompiledCalendar, atMs: number): Interval | undefined {
  for (let d = 0; d < HORIZON_DAYS; d += WINDOW_DAYS) {
    const from = atMs + d * DAY_MS - DAY_MS;
    const found = openingsBetween(cal, from, from + (WINDOW_DAYS + 1) * DAY_MS).find((o) => o.end > atMs);
    if (found) return found;
  }
  return undefined;
}

/** Whether the calendar is open at the instant (an opening's start is open, its end is not). */
export function isOpen(cal: CompiledCalendar, atMs: number): boolean {
  const o = openingFrom(cal, atMs);
  return o !== undefined && o.start <= atMs;
}

/** `atMs` itself when open then, else the start of the next opening; undefined if it never opens. */
export function nextOpening(cal: CompiledCalendar, atMs: number): number | undefined {
  const o = openingFrom(cal, atMs);
  return o === undefined ? undefined : Math.max(o.start, atMs);
}

/** Open time between two instants, in ms; negative when `toMs` is before `fromMs`. */
export function businessTimeBetween(cal: CompiledCalendar, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return -businessTimeBetween(cal, toMs, fromMs);
  return openingsBetween(cal, fromMs, toMs).reduce((sum, o) => sum + (o.end - o.start), 0);
}

/**
 * The first instant at which `durationMs` of open time has passed since `startMs`; undefined
 * when the calendar closes for good before that (it never reopens within the horizon). Adding 0
 * is `startMs`. A result is never in closed time: it lies inside an opening or at its end
 * ("8 business hours" from Monday 09:00 is Monday 17:00, not Tuesday 09:00).
 */
export function addBusinessTime(cal: CompiledCalendar, startMs: number, durationMs: number): number | undefined {
  if (durationMs <= 0) return startMs;
  let left = durationMs;
  let from = startMs;
  for (let d = 0; d < HORIZON_DAYS; d += WINDOW_DAYS) {
    const to = from + WINDOW_DAYS * DAY_MS;
    for (const o of openingsBetween(cal, from, to)) {
      const open = o.end - o.start;
      if (open >= left) return o.start + left;
      left -= open;
    }
    from = to;
  }
  return undefined;
}

/** The openings of the local date of `ms`, unclipped (none on a closed date). */
function openingsOfDateAt(cal: CompiledCalendar, date: WallTime): Interval[] {
  const out: Interval[] = [];
  for (const o of openingsOfDate(cal, date)) append(out, o);
  return out;
}

/**
 * `days` business days after `startMs`: the same wall time on the `days`-th open date after the
 * start's (an open date has opening hours and is no holiday). A start in closed time first moves
 * to the next opening. If the calendar is closed at that wall time on the target date, the
 * result is the date's next opening after it, or the date's closing time when it has closed
 * for the day — so the result always falls on the target date, inside or at the end of an
 * opening. Undefined when the calendar never opens within the horizon.
 */
export function addBusinessDays(cal: CompiledCalendar, startMs: number, days: number): number | undefined {
  const start = nextOpening(cal, startMs);
  if (start === undefined) return undefined;
  if (days <= 0) return start;
  const wall = wallTimeOf(start, cal.zone);
  let date = midnight(wall);
  for (let counted = 0, scanned = 0; counted < days; scanned++) {
    if (scanned > HORIZON_DAYS) return undefined;
    date = addCalendarDays(date, 1);
    if (openingsOfDateAt(cal, date).length > 0) counted++;
  }
  const target = zonedInstant(
    { ...date, hour: wall.hour, minute: wall.minute, second: wall.second ?? 0, millisecond: wall.millisecond ?? 0 },
    cal.zone,
  );
  const openings = openingsOfDateAt(cal, date);
  const holding = openings.find((o) => o.end >= target);
  if (!holding) return (openings[openings.length - 1] as Interval).end;
  return Math.max(holding.start, target);
}

/** The holidays (public and own) of the local dates from `fromDate` to `toDate`, inclusive ("YYYY-MM-DD"). */
export function holidaysBetween(cal: CompiledCalendar, fromDate: string, toDate: string): Holiday[] {
  const out: Holiday[] = [];
  const [fy, fm, fd] = fromDate.split("-").map(Number) as [number, number, number];
  let date: WallTime = { year: fy, month: fm, day: fd, hour: 0, minute: 0 };
  for (let i = 0; dateKey(date) <= toDate && i <= HORIZON_DAYS; i++) {
    const h = holidayOn(cal, date);
    if (h) out.push(h);
    date = addCalendarDays(date, 1);
  }
  return out;
}
