/** `record_updated`: a record was updated — any field, or one of the watched `fields`. */
import { changeOf, type TriggerKind } from "./kind.js";

const KEY = "record_updated";

export const recordUpdated: TriggerKind<"record_updated"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.updated"], key: KEY },
  watchedFields: (t) => t.fields,
  fires: (t, e) => e.type === "record.updated" && (!t.fields || t.fields.some((f) => changeOf(e, f))),
  check(t, ck, object, path) {
    for (const [i, f] of (t.fields ?? []).entries()) ck.field(f, [...path, "fields", i], object, false);
    if (t.filter) ck.condition(t.filter, [...path, "filter"]);
  },
};
