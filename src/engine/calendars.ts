/**
 * The business calendars a workflow's waits measure time on: each reference has a key under
 * which the runtime puts the calendar into the facts (`Facts.calendars`), and the engine reads it
 * back from there — the engine never loads anything.
 */
import type { CalendarSpec } from "../crm/calendar/calendar.js";
import type { Facts } from "./conditions.js";
import type { CalendarRef, StepSpec } from "./definition.js";

/** A wait that names no calendar measures on the workspace's. */
export const WORKSPACE_CALENDAR: CalendarRef = { of: "workspace" };

/** "name:Support EU", "of:owner". */
export function calendarKey(ref: CalendarRef): string {
  return "name" in ref ? `name:${ref.name}` : `of:${ref.of}`;
}

/** The calendar a step waits on, if it is a business-time wait (a delay, or an approval's timeout). */
export function calendarOfStep(spec: StepSpec): CalendarRef | undefined {
  if (spec.type === "approval") return spec.timeout?.business ? (spec.timeout.business.calendar ?? WORKSPACE_CALENDAR) : undefined;
  if (spec.type !== "delay") return undefined;
  if (spec.business) return spec.business.calendar ?? WORKSPACE_CALENDAR;
  if (spec.until_opening) return spec.until_opening.calendar ?? WORKSPACE_CALENDAR;
  return undefined;
}

/** Every calendar the steps name, once each. */
export function calendarRefsOf(steps: Iterable<StepSpec>): CalendarRef[] {
  const refs = new Map<string, CalendarRef>();
  for (const spec of steps) {
    const ref = calendarOfStep(spec);
    if (ref) refs.set(calendarKey(ref), ref);
  }
  return [...refs.values()];
}

/** 'the calendar "Support EU"', "the owner's calendar". */
export function calendarWords(ref: CalendarRef): string {
  return "name" in ref ? `the calendar "${ref.name}"` : `the ${ref.of}'s calendar`;
}

/** The calendar the runtime loaded for a reference: undefined when it was not loaded, null when it does not exist. */
export function loadedCalendar(facts: Facts, ref: CalendarRef): CalendarSpec | null | undefined {
  return facts.calendars?.[calendarKey(ref)];
}
