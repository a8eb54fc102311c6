/**
 * When an activity happened, for the instant of its awards (docs/scoring.md "When scores
 * change"): its `occurred_at` when it has one — a meeting logged today that took place three
 * days ago decays from three days ago — but never later than it was logged (`created_at`): an
 * award dated in the future would count for nothing until then and make the score move with no
 * event. The event path and a rescore both date awards here, so they agree; a conversion model's
 * training dates activities here too, against when a record reached its outcome (docs/ai.md).
 */
import type { StoredRecord } from "../../store/ports.js";

export function activityInstant(activity: StoredRecord): number {
  const logged = Date.parse(activity.createdAt);
  const raw = activity.data.occurred_at;
  const occurred = typeof raw === "string" ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(occurred) && occurred < logged ? occurred : logged;
}
