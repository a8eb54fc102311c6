/**
 * Hours per weekday as My availability (working hours) and a business calendar (opening hours)
 * edit them: spans of 24-hour wall time per weekday, checked the way the API checks both
 * (docs/routing.md, Availability; docs/sla.md, Calendars): "HH:MM",
 * 00:00 to 24:00, each span ending after it starts, the spans of a day not overlapping (touching
 * is fine: the end is exclusive), at most six a day. Pure: the page keeps the state.
 */

export const DAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;
export type Day = (typeof DAYS)[number][0];

/** As typed: [from, until]. */
export type Span = [string, string];
export type Hours = Partial<Record<Day, Span[]>>;

/** The API's limit per day. */
export const MAX_SPANS = 6;

const WEEKDAYS: readonly Day[] = ["tue", "wed", "thu", "fri"];

/** "9:00" → 540, "24:00" → 1440; undefined for anything else. */
export function minutesOf(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** "9:00" → "09:00"; left as typed when it is not a time (the check says so). */
export const normalised = (text: string) => {
  const m = minutesOf(text);
  return m === undefined ? text.trim() : hhmm(m);
};

/** What is wrong with each span of a day (undefined: nothing), in the day's order. */
export function spanProblems(spans: readonly Span[]): Array<string | undefined> {
  const read = spans.map(([from, until]) => ({ from: minutesOf(from), until: minutesOf(until) }));
  return read.map(({ from, until }, i) => {
    if (from === undefined || from === 24 * 60) return "Start: a 24-hour time from 00:00 to 23:59, such as 09:00.";
    if (until === undefined) return "End: a 24-hour time from 00:01 to 24:00, such as 17:00.";
    if (until <= from) return "The end must be after the start (a span past midnight is two spans, on two days).";
    // Reported on the later of the two, as the API does.
    const earlier = read.findIndex(
      (o, j) => j < i && o.from !== undefined && o.until !== undefined && o.from < o.until && o.from < until && from < o.until,
    );
    if (earlier >= 0) return `Overlaps ${spans[earlier]?.[0]}–${spans[earlier]?.[1]}: the spans of a day must not overlap.`;
    return undefined;
  });
}

/** Whether every span of every day is fine. */
export const hoursValid = (hours: Hours) => DAYS.every(([day]) => spanProblems(hours[day] ?? []).every((p) => p === undefined));

/** The hours as the API takes them: times normalised, days without spans left out (days off). */
export function hoursToSend(hours: Hours): Hours {
  const out: Hours = {};
  for (const [day] of DAYS) {
    const spans = hours[day] ?? [];
    if (spans.length > 0) out[day] = spans.map(([a, b]) => [normalised(a), normalised(b)]);
  }
  return out;
}

/** A next span to offer after the day's last one: from an hour after it ends, for up to four hours. */
export function nextSpan(spans: readonly Span[]): Span {
  const last = spans.at(-1);
  if (!last) return ["09:00", "17:00"];
  const end = minutesOf(last[1]);
  if (end === undefined || end + 60 >= 24 * 60) return ["", ""];
  return [hhmm(end + 60), hhmm(Math.min(end + 60 + 240, 24 * 60))];
}

/** Tuesday to Friday get Monday's spans (a Monday off makes them days off). */
export function copyMondayToWeekdays(hours: Hours): Hours {
  const next: Hours = { ...hours };
  for (const day of WEEKDAYS) {
    if (hours.mon && hours.mon.length > 0) next[day] = hours.mon.map(([a, b]) => [a, b]);
    else delete next[day];
  }
  return next;
}
