/**
 * `delay`: wait for a duration, until a date field (with an offset), until a wall-clock time, for
 * business time on a calendar, or until a calendar opens.
 */
import { addBusinessDays, addBusinessTime, compileCalendar, nextOpening } from "../../crm/calendar/business-time.js";
import { isValidTimeZone } from "../../crm/values.js";
import { calendarWords, loadedCalendar, WORKSPACE_CALENDAR } from "../calendars.js";
import type { Facts } from "../conditions.js";
import type { CalendarRef } from "../definition.js";
import { ended, waiting } from "../run-state.js";
import { dateFieldMs, durationMs, nextWallTime, shiftByOffset } from "../time.js";
import { goTo, logOf, type StepHandler } from "./step.js";

export const delayStep: StepHandler<"delay"> = {
  waits: true,
  writes: () => [],
  successors: (spec) => (spec.next ? [{ target: spec.next, path: ["next"] }] : []),
  check: (spec, { ck, at }) => {
    const kinds = [spec.duration, spec.until_field, spec.until_time, spec.business, spec.until_opening].filter(
      (x) => x !== undefined,
    ).length;
    if (kinds !== 1) ck.push(at, "invalid_value", "a delay has exactly one of duration, until_field, until_time, business, until_opening");
    if (spec.business) {
      const b = spec.business;
      const time = (b.hours ?? 0) * 60 + (b.minutes ?? 0);
      if (b.days !== undefined && (b.hours !== undefined || b.minutes !== undefined))
        ck.push([...at, "business"], "invalid_value", "business time is either days, or hours and minutes — not both");
      else if ((b.days ?? 0) === 0 && time === 0)
        ck.push([...at, "business"], "invalid_value", "business time must be more than zero: set days, or hours and minutes");
    }
    if (spec.until_field) {
      const f = ck.field(spec.until_field.field, [...at, "until_field", "field"]);
      if (f && f.type !== "date" && f.type !== "datetime")
        ck.push([...at, "until_field", "field"], "invalid_value", `"${f.name}" is not a date field`);
    }
    if (spec.until_time?.time_zone && !isValidTimeZone(spec.until_time.time_zone)) {
      ck.push([...at, "until_time", "time_zone"], "invalid_value", `"${spec.until_time.time_zone}" is not an IANA time zone`);
    }
  },
  compile: (id, spec) => ({ id, spec }),
  execute: (step, { state, facts, ctx }) => {
    const spec = step.spec;
    let dueMs: number;
    let why: string;
    if (spec.duration) {
      dueMs = ctx.nowMs + durationMs(spec.duration);
      why = `wait ${durationMs(spec.duration) / 1000} s`;
    } else if (spec.until_field) {
      const base = dateFieldMs(facts.record[spec.until_field.field], ctx.timeZone);
      if (base === undefined) {
        return {
          state: goTo(state.stepsTaken, spec.next),
          commands: [],
          log: logOf(step, "skipped", `${spec.until_field.field} is not set; continuing`),
        };
      }
      dueMs = Math.max(ctx.nowMs, shiftByOffset(base, spec.until_field.offset, ctx.timeZone));
      why = `until ${spec.until_field.field} (${String(facts.record[spec.until_field.field])})${spec.until_field.offset ? " with offset" : ""}`;
    } else if (spec.until_time) {
      const zone = spec.until_time.time_zone ?? ctx.timeZone;
      dueMs = nextWallTime(ctx.nowMs, spec.until_time.time, spec.until_time.days, zone);
      why = `until ${spec.until_time.time} ${zone}${spec.until_time.days ? ` on ${spec.until_time.days.join(", ")}` : ""}`;
    } else if (spec.business || spec.until_opening) {
      const ref = spec.business?.calendar ?? spec.until_opening?.calendar ?? WORKSPACE_CALENDAR;
      const due = businessDue(spec, ref, facts, ctx.nowMs);
      if (typeof due === "string") return { state: ended(state, "failed", due), commands: [], log: logOf(step, "failed", due) };
      dueMs = due.ms;
      why = due.why;
    } else {
      // The format allows a delay with none of the five; validation refuses it at publish.
      return { state: ended(state, "failed", "malformed step"), commands: [], log: logOf(step, "failed", "malformed step") };
    }
    const dueAt = new Date(dueMs).toISOString();
    const timerId = `${ctx.runId}:${ctx.seq}`;
    return {
      state: waiting(step.id, { kind: "timer", timerId, dueAt, next: spec.next ?? null }, state.stepsTaken),
      commands: [{ type: "start_timer", timerId, dueAt }],
      log: logOf(step, "waiting", `${why} → due ${dueAt}`),
    };
  },
};

/**
 * The instant a business-time wait ends, with the log's words; a string says why it cannot be
 * computed (the calendar is gone, or it never opens again) and fails the step.
 */
export function businessDue(
  spec: { business?: { hours?: number; minutes?: number; days?: number } | undefined },
  ref: CalendarRef,
  facts: Facts,
  nowMs: number,
): { ms: number; why: string } | string {
  const calendarSpec = loadedCalendar(facts, ref);
  if (!calendarSpec) return `${calendarWords(ref)} does not exist`;
  const cal = compileCalendar(calendarSpec);
  const on = `on ${calendarWords(ref)} (${calendarSpec.timeZone})`;
  const b = spec.business;
  let ms: number | undefined;
  let what: string;
  if (!b) {
    ms = nextOpening(cal, nowMs);
    what = "until the next opening";
  } else if (b.days !== undefined) {
    ms = addBusinessDays(cal, nowMs, b.days);
    what = `${b.days} business day${b.days === 1 ? "" : "s"}`;
  } else {
    const minutes = (b.hours ?? 0) * 60 + (b.minutes ?? 0);
    ms = addBusinessTime(cal, nowMs, minutes * 60_000);
    what = `${b.hours ? `${b.hours} h ` : ""}${b.minutes ? `${b.minutes} min ` : ""}of business time`;
  }
  if (ms === undefined) return `${calendarWords(ref)} does not open in the next three years`;
  return { ms: Math.max(ms, nowMs), why: `wait ${what.trim()} ${on}` };
}
