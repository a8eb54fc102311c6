/**
 * What the API and the CLI accept for a business calendar (docs/sla.md, "Calendars"), snake_case
 * on the wire. Shapes and what can be judged from the value alone (an IANA zone, hours, dates);
 * calendar-checks.ts checks the holidays against date-holidays' lists and the duplicates.
 */
import { z } from "zod";
import { isValidDate, isValidTimeZone } from "../../crm/values.js";
import { workingHoursSchema } from "../working-hours.js";

export const MAX_CLOSED_DATES = 500;

const name = z.string().trim().min(1, "a calendar needs a name").max(120, "a calendar's name is at most 120 characters");
const description = z.string().max(2000);
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'not an IANA time zone such as "Europe/Paris" or "America/New_York"' });

export const holidaysSchema = z
  .object({
    country: z.string().min(1).max(8).describe('ISO 3166-1 code of date-holidays: "US", "FR", "DE"'),
    region: z.string().min(1).max(16).optional().describe('a region (state) of the country in date-holidays: "CA" in the US, "BY" in DE'),
  })
  .strict();

export const closedDateSchema = z
  .object({
    date: z.string().refine(isValidDate, { message: "a date is YYYY-MM-DD, a day that exists" }),
    name: z.string().trim().min(1, "say why the calendar is closed that day").max(200),
  })
  .strict();

const editable = {
  name,
  description,
  time_zone: timeZone.describe("IANA zone the hours and dates are read in"),
  hours: workingHoursSchema.describe('opening hours by weekday (mon…sun): [["09:00","17:30"]]; a missing day is closed; {} = open 24×7'),
  holidays: holidaysSchema.nullable().describe("public holidays that close the calendar; null = none"),
  closed_dates: z.array(closedDateSchema).max(MAX_CLOSED_DATES).describe("the calendar's own closed dates (local dates)"),
  default: z.boolean().describe("the workspace's calendar; setting it clears the old default"),
};

export const calendarCreateSchema = z
  .object({
    ...editable,
    description: editable.description.default(""),
    holidays: editable.holidays.default(null),
    closed_dates: editable.closed_dates.default([]),
    default: editable.default.default(false),
  })
  .strict();
export const calendarPatchSchema = z.object(editable).partial().strict();
export type CalendarInput = z.infer<typeof calendarCreateSchema>;
