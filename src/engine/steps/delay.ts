/** `delay`: wait for a duration, until a date field (with an offset), or until a wall-clock time. */
import { isValidTimeZone } from "../../crm/values.js";
import { ended, waiting } from "../run-state.js";
import { dateFieldMs, durationMs, nextWallTime, shiftByOffset } from "../time.js";
import { goTo, logOf, type StepHandler } from "./step.js";

export const delayStep: StepHandler<"delay"> = {
  waits: true,
  successors: (spec) => (spec.next ? [{ target: spec.next, path: ["next"] }] : []),
  check: (spec, { ck, at }) => {
    const kinds = [spec.duration, spec.until_field, spec.until_time].filter((x) => x !== undefined).length;
    if (kinds !== 1) ck.push(at, "invalid_value", "a delay has exactly one of duration, until_field, until_time");
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
    } else {
      // The format allows a delay with none of the three; validation refuses it at publish.
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
