/**
 * How many activities of each type are about a record (`related_id`), for a conversion model's
 * features (conversion-features.ts): read for a training's labelled records and for each
 * prediction — through the activities-by-record index (`records_activity_related`, 036), the
 * read scoring's rescore uses, so that a count costs the record's activities, not the workspace's.
 */
import type { StoreReads } from "../../store/ports.js";
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
