/**
 * `relative_date`: "90 days before contract end". Fires at the date field ± offset: a date means
 * midnight in the workspace's zone, or `at` that day (e.g. "09:00"); wall times follow the DST
 * rule of time.ts (overlap: the first instant; gap: its end).
 */
import { atWallTime, dateFieldMs, shiftByOffset } from "../time.js";
import { checkDateField, TIME_INDEX_KEY, type TriggerKind } from "./kind.js";

export const relativeDate: TriggerKind<"relative_date"> = {
  indexKey: () => TIME_INDEX_KEY,
  fires: () => false,
  time: {
    kind: "record",
    field: (t) => t.field,
    instant(t, record, zone) {
      const base = dateFieldMs(record[t.field], zone);
      if (base === undefined) return undefined;
      const instant = shiftByOffset(base, t.offset, zone);
      return t.at ? atWallTime(instant, t.at, zone) : instant;
    },
  },
  check: (t, ck, object, path) => checkDateField(t.field, ck, object, path),
};
