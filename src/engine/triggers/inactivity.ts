/**
 * `inactivity`: "no activity for 30 days". Fires N calendar days in the workspace's zone after
 * the last activity (or after creation when there was none); once a run ends, a workflow that
 * allows re-enrollment is armed again: "30 more days of silence start another round".
 */
import { addDaysInZone, dateFieldMs } from "../time.js";
import { checkDateField, TIME_INDEX_KEY, type TriggerKind } from "./kind.js";

export const inactivity: TriggerKind<"inactivity"> = {
  indexKey: () => TIME_INDEX_KEY,
  fires: () => false,
  time: {
    kind: "record",
    field: (t) => t.field,
    instant(t, record, zone) {
      const base = dateFieldMs(record[t.field], zone) ?? dateFieldMs(record.created_at, zone);
      // Calendar days in the zone, like relative_date: 30 days after 10:00 is 10:00, across DST.
      return base === undefined ? undefined : addDaysInZone(base, t.days, zone);
    },
    rearm: (t, nowMs, zone) => addDaysInZone(nowMs, t.days, zone),
  },
  check: (t, ck, object, path) => checkDateField(t.field, ck, object, path),
};
