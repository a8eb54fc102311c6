/**
 * A business calendar as the editor keeps it (pure): the form's draft, what the API takes from
 * it (`bodyOf`, for a save and for the live preview alike), and the calendar in words — its hours
 * ("Mon–Fri 09:00–17:30"), its holidays ("France public holidays"), a problem's path, and the
 * preview's openings grouped by day in the calendar's zone. The server judges what is valid; the
 * draft keeps exactly what was typed, so a refused save gives it all back.
 */
// Type-only imports with their .js names: this module is pure and the unit tests compile it under Node's resolution.
import type { paths } from "../../api/schema.js";
import { DAYS, type Day, type Hours, hoursToSend, type Span } from "../../components/hours/hours.js";

/** A calendar as the API answers it. */
export type CalendarView = paths["/api/v1/calendars/{calendar}"]["get"]["responses"][200]["content"]["application/json"];
/** What POST /calendars (and /calendars/preview) takes; PATCH takes the same keys. */
export type CalendarBody = NonNullable<paths["/api/v1/calendars"]["post"]["requestBody"]>["content"]["application/json"];
/** What the preview (and GET …/openings) answers. */
export type OpeningsView = paths["/api/v1/calendars/preview"]["post"]["responses"][200]["content"]["application/json"];
export interface CountryView {
  code: string;
  name: string;
  regions: { code: string; name: string }[];
}

export interface ClosedDateDraft {
  /** Stable across edits, for React's key. */
  key: string;
  date: string;
  name: string;
}

export interface CalendarDraft {
  name: string;
  description: string;
  time_zone: string;
  hours: Hours;
  /** Empty country: no public holidays. Empty region: the whole country. */
  holidays: { country: string; region: string };
  closed_dates: ClosedDateDraft[];
  default: boolean;
}

let nextKey = 0;
export const closedKey = () => `c${++nextKey}`;

/** A new calendar starts as what most teams have: Monday to Friday, nine to half past five. */
export function emptyDraft(timeZone: string): CalendarDraft {
  const weekday: Span[] = [["09:00", "17:30"]];
  return {
    name: "",
    description: "",
    time_zone: timeZone,
    hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
    holidays: { country: "", region: "" },
    closed_dates: [],
    default: false,
  };
}

/** The API's hours (each span a pair; the client types them as string lists). */
type ApiHours = Partial<Record<string, readonly (readonly string[])[]>>;

export function draftOf(c: Omit<CalendarView, "hours"> & { hours: ApiHours }): CalendarDraft {
  const hours: Hours = {};
  for (const [day] of DAYS) {
    const spans = c.hours[day];
    if (spans && spans.length > 0) hours[day] = spans.map(([a, b]): Span => [a ?? "", b ?? ""]);
  }
  return {
    name: c.name,
    description: c.description,
    time_zone: c.time_zone,
    hours,
    holidays: { country: c.holidays?.country ?? "", region: c.holidays?.region ?? "" },
    closed_dates: c.closed_dates.map((d) => ({ key: closedKey(), date: d.date, name: d.name })),
    default: c.default,
  };
}

export function bodyOf(d: CalendarDraft): CalendarBody {
  return {
    name: d.name,
    description: d.description,
    time_zone: d.time_zone.trim(),
    hours: hoursToSend(d.hours),
    holidays: d.holidays.country ? { country: d.holidays.country, ...(d.holidays.region ? { region: d.holidays.region } : {}) } : null,
    closed_dates: d.closed_dates.map(({ date, name }) => ({ date, name })),
    default: d.default,
  };
}

const SHORT: Record<Day, string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };
const spansWords = (spans: readonly (readonly string[])[]) => spans.map(([a, b]) => `${a}–${b}`).join(", ");

/**
 * The hours in one line: consecutive days with the same spans together — "Mon–Fri 09:00–17:30",
 * "Mon–Thu 09:00–12:30, 13:30–18:00; Fri 09:00–17:00"; "Open 24×7" for no hours at all.
 */
export function hoursWords(hours: ApiHours): string {
  const open = DAYS.filter(([day]) => (hours[day]?.length ?? 0) > 0);
  if (open.length === 0) return "Open 24×7";
  const groups: { first: Day; last: Day; spans: string }[] = [];
  let previous = -2;
  DAYS.forEach(([day], i) => {
    const spans = hours[day];
    if (!spans || spans.length === 0) return;
    const words = spansWords(spans);
    const group = groups.at(-1);
    if (group && previous === i - 1 && group.spans === words) group.last = day;
    else groups.push({ first: day, last: day, spans: words });
    previous = i;
  });
  if (groups.length === 1 && groups[0]?.first === "mon" && groups[0].last === "sun") return `Every day ${groups[0].spans}`;
  return groups.map((g) => `${SHORT[g.first]}${g.first === g.last ? "" : `–${SHORT[g.last]}`} ${g.spans}`).join("; ");
}

/** "France public holidays", "Germany (Bavaria) public holidays", "No public holidays". */
export function holidaysWords(
  holidays: { country: string; region?: string | undefined } | null,
  countries?: readonly CountryView[],
): string {
  if (!holidays?.country) return "No public holidays";
  const country = countries?.find((c) => c.code === holidays.country);
  const region = holidays.region ? (country?.regions.find((r) => r.code === holidays.region)?.name ?? holidays.region) : undefined;
  return `${country?.name ?? holidays.country}${region ? ` (${region})` : ""} public holidays`;
}

const DAY_NAMES = Object.fromEntries(DAYS) as Record<Day, string>;

/** A problem's path in the form's words: "hours.mon[1]" → "Monday, span 2"; "closed_dates[0].date" → "Closed date 1, date". */
export function pathWords(path: string): string {
  const span = /^hours\.(\w+)\[(\d+)\]/.exec(path);
  if (span) return `${DAY_NAMES[span[1] as Day] ?? span[1]}, span ${Number(span[2]) + 1}`;
  const day = /^hours\.(\w+)/.exec(path);
  if (day) return DAY_NAMES[day[1] as Day] ?? `Opening hours (${day[1]})`;
  const closed = /^closed_dates\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (closed) return `Closed date ${Number(closed[1]) + 1}${closed[2] === "name" ? ", reason" : closed[2] ? ", date" : ""}`;
  const words: Record<string, string> = {
    name: "Name",
    description: "Why this calendar exists",
    time_zone: "Time zone",
    hours: "Opening hours",
    holidays: "Public holidays",
    "holidays.country": "Public holidays, country",
    "holidays.region": "Public holidays, region",
    closed_dates: "Closed dates",
    default: "Default calendar",
  };
  return words[path] ?? path;
}

// ---- The preview: openings by day in the calendar's zone ----

const partsIn = (zone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });

/** An instant as the wall clock of `zone` reads it: "2026-12-24" and "09:00". */
export function wallClock(iso: string, zone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    partsIn(zone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The date after a "YYYY-MM-DD" date (calendar arithmetic, no zone involved). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** "Thu 24 Dec" for a "YYYY-MM-DD" date. */
export const dateWords = (date: string) =>
  new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${date}T12:00:00Z`),
  );

export interface PreviewDay {
  date: string;
  /** Wall times in the calendar's zone, "24:00" for an opening that runs past midnight. */
  spans: { from: string; until: string }[];
  holidays: { name: string; source: "public" | "own" }[];
}

/**
 * The openings as days of the calendar's zone, from the day `from` falls on, `days` of them: an
 * opening that runs past midnight (a 24×7 calendar is one long opening) is cut at each midnight.
 */
export function openingsByDay(o: OpeningsView, days: number): PreviewDay[] {
  const zone = o.time_zone;
  const out: PreviewDay[] = [];
  const byDate = new Map<string, PreviewDay>();
  let date = wallClock(o.from, zone).date;
  for (let i = 0; i < days; i++) {
    const day: PreviewDay = { date, spans: [], holidays: [] };
    out.push(day);
    byDate.set(date, day);
    date = nextDate(date);
  }
  const add = (d: string, from: string, until: string) => {
    if (from !== until) byDate.get(d)?.spans.push({ from, until });
  };
  for (const opening of o.openings) {
    const start = wallClock(opening.start, zone);
    const end = wallClock(opening.end, zone);
    if (start.date === end.date) {
      add(start.date, start.time, end.time);
      continue;
    }
    add(start.date, start.time, "24:00");
    // Whole days between (bounded by the preview's days, whatever the opening's length).
    for (let d = nextDate(start.date), n = 0; d < end.date && n <= days + 1; d = nextDate(d), n++) add(d, "00:00", "24:00");
    add(end.date, "00:00", end.time);
  }
  for (const h of o.holidays) byDate.get(h.date)?.holidays.push({ name: h.name, source: h.source });
  return out;
}

/** "Open now", "Opens Mon 4 Jan at 09:00", or why it never does. */
export function nextOpeningWords(o: OpeningsView): string {
  if (o.next_opening === null) return "Never opens: it has no opening hours on any day that is not a holiday.";
  if (Date.parse(o.next_opening) <= Date.parse(o.from)) return "Open now";
  const at = wallClock(o.next_opening, o.time_zone);
  return `Opens ${dateWords(at.date)} at ${at.time}`;
}
