/**
 * `record_deleted`: a record was deleted. Its runs work on the record's last state and may not
 * write it (engine/deletion.ts).
 */
import { noChecks, type TriggerKind } from "./kind.js";

const KEY = "record_deleted";

export const recordDeleted: TriggerKind<"record_deleted"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.deleted"], key: KEY },
  fires: (_t, e) => e.type === "record.deleted",
  check: noChecks,
};
