/**
 * The demo's business calendars (issue 17): the workspace's default — office hours in its own
 * zone with the public holidays of its country (the demo names none: the US, where it sits) — and
 * the EMEA team's support hours in Paris with a lunch break, French holidays and two closed days
 * at the end of the year — and a 24×7 calendar for what never waits (P1 incidents). Seeded first, before the teams and users that name them; a calendar the
 * workspace has already is left as it is, so seeding again changes nothing.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { Workspace } from "../store/ports.js";

export const BUSINESS_HOURS_CALENDAR = "Business hours";
export const SUPPORT_EU_CALENDAR = "Support EU";
export const AROUND_THE_CLOCK_CALENDAR = "Around the clock";

/** The demo team (demo-data.ts TEAMS) that works on the Support EU calendar. */
export const TEAM_CALENDARS: Readonly<Record<string, string>> = { EMEA: SUPPORT_EU_CALENDAR };

const weekdays = <T>(spans: T) => ({ mon: spans, tue: spans, wed: spans, thu: spans, fri: spans });

function demoCalendars(workspace: Workspace) {
  return [
    {
      name: BUSINESS_HOURS_CALENDAR,
      description: "The workspace's office hours: SLAs and business-time waits count these unless a team or person has its own calendar.",
      time_zone: workspace.timeZone,
      hours: weekdays([["09:00", "17:30"]]),
      holidays: { country: "US" },
      default: true,
    },
    {
      name: SUPPORT_EU_CALENDAR,
      description: "First-line support in Paris: closed for lunch, on French public holidays and between Christmas and New Year's Eve.",
      time_zone: "Europe/Paris",
      hours: weekdays([
        ["09:00", "12:30"],
        ["13:30", "18:00"],
      ]),
      holidays: { country: "FR" },
      closed_dates: [
        { date: "2026-12-24", name: "Christmas Eve — office closed" },
        { date: "2026-12-31", name: "New Year's Eve — office closed" },
      ],
    },
    {
      name: AROUND_THE_CLOCK_CALENDAR,
      description: "Every hour of every day: P1 incidents are resolved around the clock, holidays included.",
      time_zone: "UTC",
      hours: {},
    },
  ];
}

/** Creates the demo's calendars the workspace does not have yet; the names of those created. */
export async function seedCalendars(s: Services, ctx: CallContext, workspace: Workspace): Promise<string[]> {
  const have = new Set((await s.calendars.list(ctx)).map((c) => c.name));
  const created: string[] = [];
  for (const calendar of demoCalendars(workspace)) {
    if (have.has(calendar.name)) continue;
    await s.calendars.create(ctx, calendar);
    created.push(calendar.name);
  }
  return created;
}
