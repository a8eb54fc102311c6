/**
 * How many activities of each type are about a record (`related_id`), for a conversion model's
 * features (conversion-features.ts), through the activities-by-record index
 * (`records_activity_related`, 036), so that a count costs the record's activities, not the
 * workspace's:
 * - a prediction (`activityCountsOf`) counts all of an open record's activities so far;
 * - a training (`activityCountsUntil`) counts, for a page of labelled records in one read, only
 *   the activities each had when it reached its outcome (outcome-instants.ts).
 */
import type { StoreReads } from "../../store/ports.js";
import { activityInstant } from "../records/activity-instant.js";
import type { ActivityCounts } from "./conversion-features.js";

export async function activityCountsOf(
  reads: Pick<StoreReads, "scores">,
  workspaceId: string,
  recordId: string,
  types: readonly string[],
): Promise<ActivityCounts> {
  if (types.length === 0) return {};
  const counts: Record<string, number> = {};
  for (const r of await reads.scores.activitiesAbout(workspaceId, recordId)) {
    const type = r.data.type;
    if (typeof type === "string" && types.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/**
 * Each record's activities of the types, counted up to and including its instant in `until`
 * (epoch ms, by record id): one read for all of them. An activity is dated as scoring dates its
 * awards (`activityInstant`: its `occurred_at`, never later than it was logged): a meeting logged
 * after the lead converted that took place before counts; one logged before with a later date
 * (planned) counts, as the record had it then.
 */
export async function activityCountsUntil(
  reads: Pick<StoreReads, "scores">,
  workspaceId: string,
  until: ReadonlyMap<string, number>,
  types: readonly string[],
): Promise<Map<string, ActivityCounts>> {
  const out = new Map<string, Record<string, number>>();
  for (const id of until.keys()) out.set(id, {});
  if (types.length === 0 || until.size === 0) return out;
  for (const a of await reads.scores.activitiesAboutMany(workspaceId, [...until.keys()])) {
    const type = a.data.type;
    const about = a.data.related_id;
    if (typeof type !== "string" || !types.includes(type) || typeof about !== "string") continue;
    const counts = out.get(about);
    const at = until.get(about);
    if (counts === undefined || at === undefined || activityInstant(a) > at) continue;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return out;
}
