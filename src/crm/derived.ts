/**
 * Fields Handoff keeps true by itself, derived from the write that is happening.
 * Pure: the caller supplies `now`.
 */
import type { ObjectName } from "./fields.js";

export function deriveManagedFields(
  object: ObjectName,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  now: string,
): Record<string, unknown> {
  const out = { ...after };
  const changed = (field: string) => before === undefined || before[field] !== after[field];
  switch (object) {
    case "deal":
      if (changed("stage")) out.stage_entered_at = now;
      break;
    case "task":
      if (changed("status")) out.completed_at = after.status === "done" ? now : null;
      break;
    case "ticket": {
      const closed = after.status === "resolved" || after.status === "closed";
      if (changed("status") && closed && (after.resolved_at === undefined || after.resolved_at === null)) {
        out.resolved_at = now;
      }
      if (changed("status") && !closed && before !== undefined && before.resolved_at === after.resolved_at) {
        out.resolved_at = null;
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** Objects whose `last_activity_at` an activity on them (or on a record of theirs) moves forward. */
export const ACTIVITY_TARGETS: readonly ObjectName[] = ["lead", "contact", "company", "deal", "ticket"];
