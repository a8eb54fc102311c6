/** A calendar as the API, the CLI and the web app show it (snake_case JSON, docs/sla.md). */
import { WEEKDAYS } from "../../crm/assignment/index.js";
import type { CalendarRow } from "../../store/calendar-ports.js";

/** Days in week order, whatever order the database kept the keys in. */
function inWeekOrder(hours: CalendarRow["hours"]): Record<string, Array<[string, string]>> {
  const out: Record<string, Array<[string, string]>> = {};
  for (const day of WEEKDAYS) {
    const spans = hours[day];
    if (spans) out[day] = spans.map(([a, b]) => [a, b]);
  }
  return out;
}

export function calendarView(c: CalendarRow) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    time_zone: c.timeZone,
    hours: inWeekOrder(c.hours),
    holidays:
      c.holidays === null
        ? null
        : { country: c.holidays.country, ...(c.holidays.region !== undefined ? { region: c.holidays.region } : {}) },
    closed_dates: c.closedDates.map((d) => ({ date: d.date, name: d.name })),
    default: c.isDefault,
    version: c.version,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    updated_by: c.updatedBy,
  };
}
export type CalendarView = ReturnType<typeof calendarView>;
