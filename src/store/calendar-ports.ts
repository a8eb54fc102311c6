/**
 * Storage port of business calendars (issue 17; docs/sla.md, "Calendars").
 *
 * Glossary
 * - Calendar: a named set of opening hours per weekday in an IANA zone, with public holidays
 *   (a country and region of `date-holidays`) and the workspace's own closed dates. The shape the
 *   math reads is `CalendarSpec` (crm/calendar/calendar.ts); a row is that plus its name,
 *   description, whether it is the default and its version.
 * - Default calendar: the workspace's calendar (at most one), used when neither a person nor
 *   their team names one. None = open 24×7 in the workspace's zone.
 * - Named by: a team or user record's `calendar` field names a calendar by its name.
 */
import type { CalendarSpec } from "../crm/calendar/calendar.js";
import type { VersionedUpdate } from "./routing-ports.js";

export interface CalendarRow extends CalendarSpec {
  workspaceId: string;
  id: string;
  /** Unique in the workspace; what a team's or user's `calendar` field names. */
  name: string;
  description: string;
  isDefault: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface CalendarReads {
  /** By name. */
  listCalendars(workspaceId: string): Promise<CalendarRow[]>;
  /** By id, else by name. */
  getCalendar(workspaceId: string, idOrName: string): Promise<CalendarRow | undefined>;
  /** The workspace's default calendar, if it has one. */
  defaultCalendar(workspaceId: string): Promise<CalendarRow | undefined>;
}

export interface CalendarPort extends CalendarReads {
  /** False when the name is taken. */
  insertCalendar(c: CalendarRow): Promise<boolean>;
  /** Written only over the version it was read at (`c.version - 1`). */
  updateCalendar(c: CalendarRow): Promise<VersionedUpdate>;
  deleteCalendar(workspaceId: string, id: string): Promise<boolean>;
  /**
   * Makes every default calendar of the workspace other than `keepId` not the default, each a
   * new version (at, by); the names of those that were. The caller sets the new default in the
   * same transaction.
   */
  unsetDefaultCalendars(workspaceId: string, keepId: string, at: string, by: string | null): Promise<string[]>;
}
