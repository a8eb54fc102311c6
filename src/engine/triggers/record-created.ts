/** `record_created`: a record of the workflow's object was created (and its filter holds). */
import type { TriggerKind } from "./kind.js";

const KEY = "record_created";

export const recordCreated: TriggerKind<"record_created"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.created"], key: KEY },
  fires: (_t, e) => e.type === "record.created",
  check(t, ck, _object, path) {
    if (t.filter) ck.condition(t.filter, [...path, "filter"]);
  },
};
