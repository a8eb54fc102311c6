/**
 * "The owner's calendar" (docs/sla.md): the user's calendar, else their team's, else the
 * workspace's default, else none — open 24×7 in the workspace's zone. Pure: the records and the
 * workspace's calendars come in. For business-time waits and SLA clocks; `ownerCalendar` reads
 * what it needs for one user.
 */
import type { StoreReads } from "../../store/ports.js";

/** Where the calendar came from, for the "why" a wait or an SLA shows. */
export type CalendarSource = "user" | "team" | "workspace";

export interface CalendarChoice<C> {
  calendar: C;
  source: CalendarSource;
}

/** What of a user or team record the choice reads: its `calendar` field (a calendar's name). */
export interface NamesCalendar {
  data: { calendar?: unknown };
}

/**
 * The calendar that applies to an owner; null when none does (24×7 in the workspace's zone).
 * A name that matches no calendar (a stale record) is passed over, as if unset.
 */
export function calendarFor<C extends { name: string; isDefault: boolean }>(
  owner: { user?: NamesCalendar | null | undefined; team?: NamesCalendar | null | undefined },
  calendars: readonly C[],
): CalendarChoice<C> | null {
  const named = (r: NamesCalendar | null | undefined): C | undefined => {
    const name = r?.data.calendar;
    return typeof name === "string" ? calendars.find((c) => c.name === name) : undefined;
  };
  const mine = named(owner.user);
  if (mine) return { calendar: mine, source: "user" };
  const team = named(owner.team);
  if (team) return { calendar: team, source: "team" };
  const fallback = calendars.find((c) => c.isDefault);
  return fallback ? { calendar: fallback, source: "workspace" } : null;
}

/** The calendar of a user (by id) of the workspace: theirs, their team's, the default, or null. */
export async function ownerCalendar(reads: StoreReads, workspaceId: string, userId: string) {
  const user = await reads.records.getRecord(workspaceId, userId);
  const teamId = user?.object === "user" && typeof user.data.team_id === "string" ? user.data.team_id : undefined;
  const team = teamId ? await reads.records.getRecord(workspaceId, teamId) : undefined;
  return calendarFor(
    { user: user?.object === "user" ? user : null, team: team?.object === "team" ? team : null },
    await reads.calendars.listCalendars(workspaceId),
  );
}
