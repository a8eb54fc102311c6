/**
 * Business calendars' reads and writes (the /api/v1/calendars API, docs/sla.md "Calendars"): the
 * list, one calendar, its openings, the holiday countries, the unsaved form's preview, and the
 * writes with what they make stale. Every signed-in role reads; admins write (the API enforces it).
 */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, unwrap } from "../../api/client";
import { listRecords } from "../../records/recordsApi";
import type { CalendarBody } from "./calendar-form";

const fetchCalendars = async () => unwrap(await api.GET("/api/v1/calendars")).data;
const fetchCalendar = async (calendar: string) => unwrap(await api.GET("/api/v1/calendars/{calendar}", { params: { path: { calendar } } }));
const fetchCountries = async () => unwrap(await api.GET("/api/v1/calendars/holiday-countries")).data;

export type Calendar = Awaited<ReturnType<typeof fetchCalendar>>;
export type HolidayCountry = Awaited<ReturnType<typeof fetchCountries>>[number];

export const calendarsQuery = queryOptions({ queryKey: ["calendars"], queryFn: fetchCalendars });
export const calendarQuery = (calendar: string) =>
  queryOptions({ queryKey: ["calendars", "one", calendar], queryFn: () => fetchCalendar(calendar) });
/** The countries never change while the app runs (they come from the server's date-holidays). */
export const holidayCountriesQuery = queryOptions({
  queryKey: ["calendars", "holiday-countries"],
  queryFn: fetchCountries,
  staleTime: Number.POSITIVE_INFINITY,
});

/** What the hours mean over the next `days` days, for the unsaved form (nothing is saved). */
export const previewCalendar = async (body: CalendarBody, days: number, signal?: AbortSignal) =>
  unwrap(await api.POST("/api/v1/calendars/preview", { body, params: { query: { days } }, ...(signal ? { signal } : {}) }));
export type Openings = Awaited<ReturnType<typeof previewCalendar>>;

export const createCalendar = async (body: CalendarBody) => unwrap(await api.POST("/api/v1/calendars", { body }));

/** Over the version the form was opened at: a 412 when someone else saved the calendar meanwhile. */
export const updateCalendar = async (calendar: string, version: number, body: CalendarBody) =>
  unwrap(await api.PATCH("/api/v1/calendars/{calendar}", { params: { path: { calendar } }, body, headers: ifMatch(version) }));

export const deleteCalendar = async (calendar: string) => {
  unwrap(await api.DELETE("/api/v1/calendars/{calendar}", { params: { path: { calendar } } }));
};

/** A calendar write makes every calendar read stale (the list, each one: setting a default clears the old one). */
export const CALENDAR_WRITE_STALES = [["calendars"]] as const;

/** Only admins change calendars (the API refuses the others with a 403). */
export const mayEditCalendars = (role: string) => role === "admin";

/**
 * Who names each calendar, by its name: the teams and the people whose `calendar` field is set
 * (read through the records API, so roles and field permissions apply). Workflows and SLA
 * policies that name a calendar are not listed here; deleting it says so (409).
 */
export interface CalendarUse {
  teams: string[];
  users: string[];
}
const fetchUses = async (): Promise<Map<string, CalendarUse>> => {
  const named = { field: "calendar", op: "is_set" } as const;
  const [teams, users] = await Promise.all([
    listRecords("teams", { filter: named, sort: "name", limit: 200 }),
    listRecords("users", { filter: named, sort: "name", limit: 200 }),
  ]);
  const uses = new Map<string, CalendarUse>();
  const of = (name: unknown) => {
    const key = String(name);
    const found = uses.get(key) ?? { teams: [], users: [] };
    uses.set(key, found);
    return found;
  };
  for (const t of teams.data) of(t.calendar).teams.push(String(t.name));
  for (const u of users.data) of(u.calendar).users.push(String(u.name));
  return uses;
};
export const calendarUsesQuery = queryOptions({ queryKey: ["calendars", "uses"], queryFn: fetchUses });
