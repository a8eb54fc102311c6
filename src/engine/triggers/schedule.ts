/**
 * `schedule`: "every Monday at 09:00". Each cron occurrence in its zone enrolls the object's
 * records (those its filter and the conditions admit); not looked up by events.
 */
import { Cron } from "croner";
import { isValidTimeZone } from "../../crm/values.js";
import type { TriggerKind } from "./kind.js";

export const schedule: TriggerKind<"schedule"> = {
  indexKey: () => undefined,
  fires: () => false,
  time: {
    kind: "schedule",
    next(t, afterMs) {
      const next = new Cron(t.cron, { timezone: t.time_zone, paused: true }).nextRun(new Date(afterMs));
      return next ? next.getTime() : undefined;
    },
  },
  check(t, ck, _object, path) {
    try {
      new Cron(t.cron, { timezone: t.time_zone, paused: true });
    } catch (error) {
      ck.push([...path, "cron"], "invalid_value", `not a cron expression: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isValidTimeZone(t.time_zone)) ck.push([...path, "time_zone"], "invalid_value", `"${t.time_zone}" is not an IANA time zone`);
    if (t.filter) ck.condition(t.filter, [...path, "filter"]);
  },
};
