/**
 * `field_changed`: one field changed, optionally from and/or to a value (compared as JSON
 * values, whatever their types). A deletion changes every field to nothing and does not count.
 */
import { changeOf, sameJson, type TriggerKind } from "./kind.js";

const KEY = "field_changed";

export const fieldChanged: TriggerKind<"field_changed"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.updated"], key: KEY },
  watchedFields: (t) => [t.field],
  fires(t, e) {
    const c = changeOf(e, t.field);
    if (!c || e.type === "record.deleted") return false;
    return (t.from === undefined || sameJson(c.old, t.from)) && (t.to === undefined || sameJson(c.new, t.to));
  },
  check(t, ck, object, path) {
    const f = ck.field(t.field, [...path, "field"], object, false);
    if (f && t.from !== undefined && t.from !== null) ck.value(f, t.from, [...path, "from"]);
    if (f && t.to !== undefined && t.to !== null) ck.value(f, t.to, [...path, "to"]);
  },
};
