/**
 * `record_merged`: another record was merged into this one (issue 20, item 6). It fires on the
 * survivor, once per merge (the merge appends one `record.merged` event on it); the run works on
 * the survivor as it is after the merge, and its `detail` names the merge and the merged record.
 */
import { noChecks, type TriggerKind } from "./kind.js";

const KEY = "record_merged";

export const recordMerged: TriggerKind<"record_merged"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.merged"], key: KEY },
  fires: (_t, e) => e.type === "record.merged",
  check: noChecks,
};
