/**
 * How many activities of each type are about a record (`related_id`), for a conversion model's
 * features (conversion-features.ts): read for a training's labelled records and for each
 * prediction. Counted from the activities as stored, up to COUNT_LIMIT a record.
 */
import type { StoreReads } from "../../store/ports.js";
import type { ActivityCounts } from "./conversion-features.js";

const COUNT_LIMIT = 10_000;
const RELATED = { name: "related_id", type: "reference" as const, label: "Related to" };
const ID = { name: "id", type: "string" as const, label: "id" };

export async function activityCountsOf(
  reads: Pick<StoreReads, "records">,
  workspaceId: string,
  recordId: string,
  types: readonly string[],
): Promise<ActivityCounts> {
  if (types.length === 0) return {};
  const rows = await reads.records.queryRecords({
    workspaceId,
    object: "activity",
    filter: { field: RELATED, op: "eq", value: recordId },
    sort: { field: ID, direction: "asc" },
    limit: COUNT_LIMIT,
  });
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const type = r.data.type;
    if (typeof type === "string" && types.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}
