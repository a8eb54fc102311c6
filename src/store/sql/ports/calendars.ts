/** The calendar port: business calendars of a workspace. */
import type { CalendarPort, CalendarRow } from "../../calendar-ports.js";
import * as calendars from "../calendars.js";
import type { SqlSession } from "../session.js";

export class SqlCalendars implements CalendarPort {
  constructor(private readonly s: SqlSession) {}

  listCalendars(workspaceId: string) {
    return calendars.listCalendars(this.s.db, this.s.d, workspaceId);
  }
  getCalendar(workspaceId: string, idOrName: string) {
    return calendars.getCalendar(this.s.db, this.s.d, workspaceId, idOrName);
  }
  defaultCalendar(workspaceId: string) {
    return calendars.defaultCalendar(this.s.db, this.s.d, workspaceId);
  }
  insertCalendar(c: CalendarRow) {
    return calendars.insertCalendar(this.s.db, this.s.d, c);
  }
  updateCalendar(c: CalendarRow) {
    return calendars.updateCalendar(this.s.db, this.s.d, c);
  }
  deleteCalendar(workspaceId: string, id: string) {
    return calendars.deleteCalendar(this.s.db, workspaceId, id);
  }
  unsetDefaultCalendars(workspaceId: string, keepId: string, at: string, by: string | null) {
    return calendars.unsetDefaultCalendars(this.s.db, workspaceId, keepId, at, by);
  }
}
