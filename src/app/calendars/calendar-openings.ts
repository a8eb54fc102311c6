/**
 * What a calendar's hours mean, for a person: its openings over the next days, the holidays that
 * close it and its next opening (the calendars page's preview, `handoff calendars openings`).
 * Works on a saved calendar and on an unsaved one (the editor previews as the admin types).
 */
import { DateTime } from "luxon";
import { z } from "zod";
import { compileCalendar, holidaysBetween, nextOpening, openingsBetween } from "../../crm/calendar/business-time.js";
import type { CalendarSpec, Holiday } from "../../crm/calendar/calendar.js";
import { zodIssues } from "../../engine/validate.js";
import { invalid } from "../errors.js";

const DAY_MS = 86_400_000;
export const MAX_PREVIEW_DAYS = 62;

export const openingsQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true, message: "an ISO 8601 instant such as 2026-12-07T00:00:00Z" }).optional(),
    days: z.coerce
      .number({ message: "a whole number of days" })
      .int("a whole number of days")
      .min(1, "at least 1 day")
      .max(MAX_PREVIEW_DAYS, `at most ${MAX_PREVIEW_DAYS} days`)
      .optional(),
  })
  .strict();
export type OpeningsQuery = z.input<typeof openingsQuerySchema>;

export interface OpeningsView {
  time_zone: string;
  from: string;
  to: string;
  next_opening: string | null;
  openings: Array<{ start: string; end: string }>;
  holidays: Holiday[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The openings of `spec` from the query's instant (default now) for its days (default 14). */
export function openingsView(spec: CalendarSpec, query: OpeningsQuery, nowMs: number): OpeningsView {
  const q = openingsQuerySchema.safeParse(query);
  if (!q.success) throw invalid(zodIssues(q.error.issues));
  const fromMs = q.data.from ? Date.parse(q.data.from) : nowMs;
  const toMs = fromMs + (q.data.days ?? 14) * DAY_MS;
  const cal = compileCalendar(spec);
  const localDate = (ms: number) => DateTime.fromMillis(ms, { zone: spec.timeZone }).toISODate() as string;
  const next = nextOpening(cal, fromMs);
  return {
    time_zone: spec.timeZone,
    from: iso(fromMs),
    to: iso(toMs),
    next_opening: next === undefined ? null : iso(next),
    openings: openingsBetween(cal, fromMs, toMs).map((o) => ({ start: iso(o.start), end: iso(o.end) })),
    holidays: holidaysBetween(cal, localDate(fromMs), localDate(toMs - 1)),
  };
}
