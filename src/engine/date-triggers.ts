/**
 * When time-based triggers fire. Pure: the record and the zone come in, an instant comes out.
 * - relative_date: the date field ± offset (a date field means midnight in the zone, or `at` that
 *   day, e.g. "09:00"); "90 days before contract end".
 * - inactivity: N calendar days in the zone after the last activity (or after creation when
 *   there was none).
 * Wall times follow the DST rule of time.ts (overlap: the first instant; gap: its end).
 * - schedule: the next cron occurrence in its zone.
 */
import { Cron } from "croner";
import type { TriggerSpec } from "./definition.js";
import { addDaysInZone, atWallTime, dateFieldMs, shiftByOffset } from "./time.js";

export type TimeTrigger = Extract<TriggerSpec, { type: "relative_date" | "inactivity" | "schedule" }>;

export function isTimeTrigger(t: TriggerSpec): t is TimeTrigger {
  return t.type === "relative_date" || t.type === "inactivity" || t.type === "schedule";
}

/** The instant a record-based time trigger fires for this record, or undefined when it never will. */
export function recordFireInstant(t: TriggerSpec, record: Readonly<Record<string, unknown>>, zone: string): number | undefined {
  if (t.type === "relative_date") {
    const value = record[t.field];
    const base = dateFieldMs(value, zone);
    if (base === undefined) return undefined;
    const instant = shiftByOffset(base, t.offset, zone);
    return t.at ? atWallTime(instant, t.at, zone) : instant;
  }
  if (t.type === "inactivity") {
    const base = dateFieldMs(record[t.field], zone) ?? dateFieldMs(record.created_at, zone);
    // Calendar days in the zone, like relative_date: 30 days after 10:00 is 10:00, across DST.
    return base === undefined ? undefined : addDaysInZone(base, t.days, zone);
  }
  return undefined;
}

/** The next occurrence of a schedule trigger strictly after `afterMs`. */
export function nextScheduleInstant(t: Extract<TriggerSpec, { type: "schedule" }>, afterMs: number): number | undefined {
  const next = new Cron(t.cron, { timezone: t.time_zone, paused: true }).nextRun(new Date(afterMs));
  return next ? next.getTime() : undefined;
}
