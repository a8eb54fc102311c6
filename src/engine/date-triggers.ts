/**
 * When time-based triggers fire, as the trigger registry says (engine/triggers: relative_date,
 * inactivity, schedule). Pure: the record and the zone come in, an instant comes out.
 */
import type { TriggerSpec } from "./definition.js";
import { triggerKind } from "./triggers/index.js";

/** Whether the trigger fires by time (per record, or by its schedule) rather than by events. */
export function isTimeTrigger(t: TriggerSpec): boolean {
  return triggerKind(t).time !== undefined;
}

/** The instant a record-based time trigger fires for this record, or undefined when it never will. */
export function recordFireInstant(t: TriggerSpec, record: Readonly<Record<string, unknown>>, zone: string): number | undefined {
  const time = triggerKind(t).time;
  return time?.kind === "record" ? time.instant(t, record, zone) : undefined;
}

/** The next occurrence of a schedule trigger strictly after `afterMs`. */
export function nextScheduleInstant(t: TriggerSpec, afterMs: number): number | undefined {
  const time = triggerKind(t).time;
  return time?.kind === "schedule" ? time.next(t, afterMs) : undefined;
}
