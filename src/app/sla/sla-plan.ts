/**
 * A policy and a record → the plan of the record's clock (crm/sla/clock.ts `ClockPlan`): the
 * target by the record's value of `targets_by.field` when that value is listed, else `target`;
 * the warning as a fraction or a business time before the target; the escalation levels as
 * business time after the breach. Pure. Business time: a day is 24 h of open time.
 */
import type { ClockPlan } from "../../crm/sla/clock.js";
import { durationMs } from "../../engine/time.js";
import type { SlaDuration, SlaPolicyDefinition } from "../../store/sla-ports.js";

// One arithmetic for durations: an SLA duration is a workflow duration without seconds.
export { durationMs };

/** "1 d 4 h", "30 min", "0 min". */
export function durationWords(d: SlaDuration): string {
  const parts = [d.days ? `${d.days} d` : "", d.hours ? `${d.hours} h` : "", d.minutes ? `${d.minutes} min` : ""].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : "0 min";
}

/** The key of `targets_by.values` a field value is looked up under, if it can be one. */
function valueKey(v: unknown): string | undefined {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** The target that applies to a record, and the value that chose it (none: the policy's `target`). */
export function targetFor(policy: SlaPolicyDefinition, record: { data: Record<string, unknown> }): { target: SlaDuration; by?: string } {
  const by = policy.targets_by;
  if (by) {
    const key = valueKey(record.data[by.field]);
    const listed = key !== undefined && Object.hasOwn(by.values, key) ? by.values[key] : undefined;
    if (listed && key !== undefined) return { target: listed, by: key };
  }
  return { target: policy.target };
}

export function clockPlanFor(policy: SlaPolicyDefinition, record: { data: Record<string, unknown> }): ClockPlan {
  const targetMs = durationMs(targetFor(policy, record).target);
  const w = policy.warning;
  return {
    targetMs,
    ...(w ? { warning: "fraction" in w ? { fraction: w.fraction } : { beforeMs: durationMs(w.before) } } : {}),
    escalationsAfterMs: policy.escalations.map((e) => durationMs(e.after)),
  };
}

/** Every target a record can get: `target`, then each of `targets_by`, with what names it. */
export function allTargets(policy: SlaPolicyDefinition): Array<{ label: string; path: Array<string>; ms: number }> {
  return [
    { label: "target", path: ["target"], ms: durationMs(policy.target) },
    ...Object.entries(policy.targets_by?.values ?? {}).map(([value, d]) => ({
      label: `${policy.targets_by?.field} ${value}`,
      path: ["targets_by", "values", value],
      ms: durationMs(d),
    })),
  ];
}
