/**
 * Whether a person can take work at an instant: their own switch, their PTO and their working
 * hours. Pure: the instant comes in. Working hours are wall times in the person's IANA zone,
 * judged with Luxon on the date in question, so "09:00–17:00" means nine to five local time on
 * either side of a DST change, whatever the UTC offset is that day. In a fall-back overlap the
 * wall clock reads the same hour twice, and both readings count; a spring-forward gap is never
 * read, so a span inside it is never open.
 */
import { DateTime } from "luxon";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of wall time, "HH:MM" to "HH:MM" ("24:00" may end one); the end is exclusive. */
export type Span = readonly [start: string, end: string];

/**
 * Working hours by weekday. Undefined or `{}` = no restriction; once any day is given, a day
 * that is missing (or has no spans) is a day off.
 */
export type WorkingHours = { readonly [D in Weekday]?: readonly Span[] };

/** A period of PTO: ISO-8601 instants, half-open [start, end). */
export interface Period {
  start: string;
  end: string;
}

export interface Availability {
  /** IANA zone the working hours are read in ("Europe/Berlin"). */
  timeZone: string;
  workingHours?: WorkingHours | undefined;
  pto: readonly Period[];
  /** The person's own switch: false keeps them out of rotations whatever their hours say. */
  availableNow: boolean;
}

/** Why someone cannot take work now: a code to act on, the facts, and a sentence for a person. */
export type AvailabilityReason =
  | { code: "pto"; until: string; text: string }
  | { code: "unavailable"; text: string }
  | { code: "bad_time_zone"; timeZone: string; text: string }
  | { code: "outside_hours"; localTime: string; weekday: Weekday; timeZone: string; text: string };

export type AvailabilityVerdict = { ok: true } | { ok: false; reason: AvailabilityReason };

const MINUTES_PER_DAY = 24 * 60;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

/** "09:30" → 570; "24:00" → 1440; undefined for anything the edge would have refused. */
function minuteOfDay(hhmm: string): number | undefined {
  const m = HHMM_RE.exec(hhmm);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= MINUTES_PER_DAY ? minutes : undefined;
}

/**
 * Whether a minute of the day lies in one of the spans. Spans are whole minutes, so comparing
 * the floored minute is exact. A span the edge would refuse (unparseable, or not ending after it
 * starts) covers nothing: overnight work is written as two spans on two days.
 */
function inSpans(spans: readonly Span[], minute: number): boolean {
  return spans.some(([s, e]) => {
    const start = minuteOfDay(s);
    const end = minuteOfDay(e);
    return start !== undefined && end !== undefined && start <= minute && minute < end;
  });
}

/**
 * The spans of one day that overlap one listed before them: for each, its index and the earlier
 * span's. Touching spans ("09:00–12:00", "12:00–13:00") do not overlap (the end is exclusive).
 * Spans that cannot be read or do not end after they start are skipped (refused on their own).
 */
export function overlappingSpans(spans: readonly Span[]): Array<{ index: number; earlier: number }> {
  const read = spans.map(([s, e]) => {
    const start = minuteOfDay(s);
    const end = minuteOfDay(e);
    return start !== undefined && end !== undefined && start < end ? { start, end } : undefined;
  });
  const out: Array<{ index: number; earlier: number }> = [];
  read.forEach((span, index) => {
    if (!span) return;
    const earlier = read.findIndex((other, j) => j < index && other !== undefined && other.start < span.end && span.start < other.end);
    if (earlier >= 0) out.push({ index, earlier });
  });
  return out;
}

function hasRestriction(hours: WorkingHours | undefined): hours is WorkingHours {
  return hours !== undefined && Object.keys(hours).length > 0;
}

/**
 * The end of the PTO that holds `at`, following periods that touch or overlap it, so that
 * back-to-back bookings name the day the person is really back. Undefined when not on PTO.
 * Periods with an unparseable instant are skipped (the edge refuses them).
 */
export function ptoEnd(pto: readonly Period[], at: number): number | undefined {
  const periods = pto.map((p) => ({ start: Date.parse(p.start), end: Date.parse(p.end) })).filter((p) => p.start < p.end);
  let until: number | undefined;
  for (const p of periods) if (p.start <= at && at < p.end) until = Math.max(until ?? p.end, p.end);
  if (until === undefined) return undefined;
  // Each pass can only move `until` later, and at most once per period.
  for (let moved = true; moved; ) {
    moved = false;
    for (const p of periods) {
      if (p.start <= until && until < p.end) {
        until = p.end;
        moved = true;
      }
    }
  }
  return until;
}

/** "12 Dec", "3 Jan 2027", "11 Dec 19:00": when the person is back, in their zone (UTC when it is unknown). */
function backOn(until: number, at: number, zone: string): string {
  let end = DateTime.fromMillis(until, { zone, locale: "en" });
  if (!end.isValid) end = DateTime.fromMillis(until, { zone: "utc", locale: "en" });
  const sameYear = end.year === DateTime.fromMillis(at, { zone: end.zone }).year;
  const date = end.toFormat(sameYear ? "d LLL" : "d LLL yyyy");
  return end.hour === 0 && end.minute === 0 ? date : `${date} ${end.toFormat("HH:mm")}`;
}

/** Whether the person can take work at `at`, and if not, why. Checks PTO, the switch, then hours. */
export function judgeAvailability(member: Availability, at: Date): AvailabilityVerdict {
  const ms = at.getTime();
  const until = ptoEnd(member.pto, ms);
  if (until !== undefined) {
    return {
      ok: false,
      reason: { code: "pto", until: new Date(until).toISOString(), text: `on PTO until ${backOn(until, ms, member.timeZone)}` },
    };
  }
  if (!member.availableNow) return { ok: false, reason: { code: "unavailable", text: "switched to unavailable" } };
  const hours = member.workingHours;
  // Without working hours the zone is never read, so an unknown one does not matter.
  if (!hasRestriction(hours)) return { ok: true };
  const local = DateTime.fromMillis(ms, { zone: member.timeZone });
  if (!local.isValid) {
    const text = `time zone "${member.timeZone}" is not known, so working hours cannot be judged`;
    return { ok: false, reason: { code: "bad_time_zone", timeZone: member.timeZone, text } };
  }
  // Luxon numbers weekdays 1 (Monday) to 7 (Sunday).
  const weekday = WEEKDAYS[local.weekday - 1] as Weekday;
  if (inSpans(hours[weekday] ?? [], local.hour * 60 + local.minute)) return { ok: true };
  const localTime = local.toFormat("HH:mm");
  const day = local.setLocale("en").toFormat("ccc");
  return {
    ok: false,
    reason: {
      code: "outside_hours",
      localTime,
      weekday,
      timeZone: member.timeZone,
      text: `outside working hours, ${day} ${localTime} in ${member.timeZone}`,
    },
  };
}
