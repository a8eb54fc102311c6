/**
 * The business calendars a run's waits measure on, loaded into the facts (`Facts.calendars`) for
 * the engine to read: a calendar by name, or the calendar of the record's owner (its `owner_id`,
 * or `assignee_id` on tickets: theirs, else their team's, else the workspace's), of the owner's
 * team, or of the workspace. The workspace's is its default calendar, else 24×7 in its time
 * zone — so every `of` reference yields a calendar; only a name can be missing (null: the step
 * fails, saying so).
 */
import { calendarFor } from "../app/calendars/calendar-for.js";
import type { CalendarSpec } from "../crm/calendar/calendar.js";
import { ownerFieldOf } from "../crm/objects.js";
import { calendarKey } from "../engine/calendars.js";
import type { CalendarRef } from "../engine/definition.js";
import type { StoredRecord, StoreReads } from "../store/ports.js";

/** Open all the time in a zone: what a workspace without a default calendar measures on. */
export function allHours(timeZone: string): CalendarSpec {
  return { timeZone, hours: {}, holidays: null, closedDates: [] };
}

/** Only what the math reads: a row carries its name, version and audit columns besides. */
function specOf(c: CalendarSpec): CalendarSpec {
  return { timeZone: c.timeZone, hours: c.hours, holidays: c.holidays, closedDates: c.closedDates };
}

export async function loadCalendars(
  reads: StoreReads,
  record: StoredRecord,
  refs: readonly CalendarRef[],
  workspaceZone: string,
): Promise<Record<string, CalendarSpec | null>> {
  const out: Record<string, CalendarSpec | null> = {};
  if (refs.length === 0) return out;
  const ws = record.workspaceId;
  const all = await reads.calendars.listCalendars(ws);
  const fallback = () => {
    const d = all.find((c) => c.isDefault);
    return d ? specOf(d) : allHours(workspaceZone);
  };
  // The owner and their team, read once for every reference that needs them.
  let people: { user: StoredRecord | null; team: StoredRecord | null } | undefined;
  const owner = async () => {
    if (people) return people;
    const field = ownerFieldOf(record.object);
    const ownerId = field ? record.data[field] : undefined;
    const user = typeof ownerId === "string" ? await reads.records.getRecord(ws, ownerId) : undefined;
    const teamId = user?.object === "user" ? user.data.team_id : undefined;
    const team = typeof teamId === "string" ? await reads.records.getRecord(ws, teamId) : undefined;
    people = { user: user?.object === "user" ? user : null, team: team?.object === "team" ? team : null };
    return people;
  };
  for (const ref of refs) {
    let spec: CalendarSpec | null;
    if ("name" in ref) {
      const found = all.find((c) => c.name === ref.name);
      spec = found ? specOf(found) : null;
    } else if (ref.of === "workspace") {
      spec = fallback();
    } else {
      const { user, team } = await owner();
      const choice = calendarFor(ref.of === "owner" ? { user, team } : { team }, all);
      spec = choice ? specOf(choice.calendar) : allHours(workspaceZone);
    }
    out[calendarKey(ref)] = spec;
  }
  return out;
}
