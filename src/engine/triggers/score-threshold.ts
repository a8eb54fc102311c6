/**
 * `score_threshold`: a number field crossed a threshold, upwards or downwards. A record created
 * at or above it crosses it upwards (there was nothing before).
 */
import { changeOf, type TriggerKind } from "./kind.js";

const KEY = "score_threshold";

export const scoreThreshold: TriggerKind<"score_threshold"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.created", "record.updated"], key: KEY },
  watchedFields: (t) => [t.field],
  fires(t, e) {
    const c = changeOf(e, t.field);
    if (!c || typeof c.new !== "number") return false;
    const old = typeof c.old === "number" ? c.old : Number.NEGATIVE_INFINITY;
    return t.direction === "up" ? old < t.threshold && c.new >= t.threshold : old >= t.threshold && c.new < t.threshold;
  },
  check(t, ck, object, path) {
    const f = ck.field(t.field, [...path, "field"], object, false);
    if (f && f.type !== "integer" && f.type !== "number")
      ck.push([...path, "field"], "invalid_value", `"${t.field}" is not a number field`);
  },
};
