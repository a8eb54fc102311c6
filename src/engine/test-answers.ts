/**
 * What a tester's answer at a wait means (issue 19; docs/testing-workflows.md "Answers"), pure:
 * the sandbox (app/workflow-tests/run-in-sandbox.ts) carries these out through its real record
 * writer and event log, so that the run's matcher and decide() see what they would see live.
 *
 * - `awaitedChange`: "the awaited thing happens": for a `wait_for` on an event, the related record
 *   created (or updated) with its link pointing at the run's record and fields that satisfy the
 *   event's `where`; for a `wait_for` on a condition, the update of the run's record that makes
 *   the condition hold. Fields the tester gives win over those worked out.
 * - `witnessFields`: values of the record's own fields that make a condition hold, where a
 *   condition says so plainly (`eq`, `in`, bounds, text); the rest is the tester's to give.
 * - `slaMilestoneEvent`: the SLA event a chosen milestone outcome is, for an `sla` trigger.
 * - `slaStopChange` (crm/sla/met-by.ts): the change that meets an SLA (stops its clock).
 */
import type { ObjectName } from "../crm/fields.js";
import type { Condition, LeafCondition, StepSpec, TriggerSpec } from "./definition.js";

type WaitForSpec = Extract<StepSpec, { type: "wait_for" }>;
type SlaTrigger = Extract<TriggerSpec, { type: "sla" }>;

export type AwaitedChange =
  /** Create a record of `object` (then update it once more when the wait is for an update). */
  | { kind: "related"; object: ObjectName; type: "created" | "updated"; fields: Record<string, unknown> }
  /** Update the run's own record. */
  | { kind: "record"; fields: Record<string, unknown> };

export function awaitedChange(spec: WaitForSpec, recordId: string, given: Record<string, unknown> = {}): AwaitedChange {
  if (spec.event) {
    const fields = { ...witnessFields(spec.event.where), ...given, [spec.event.link]: recordId };
    return { kind: "related", object: spec.event.object, type: spec.event.kind, fields };
  }
  return { kind: "record", fields: { ...witnessFields(spec.condition), ...given } };
}

/**
 * Values of the record's own fields (no `company_id.x`, no counts, no change operators) that make
 * `condition` hold where the condition names them plainly: `and` merges its parts, `or` takes its
 * first branch that gives any, `not` gives none. A field it cannot decide is left out.
 */
export function witnessFields(condition: Condition | undefined): Record<string, unknown> {
  if (!condition) return {};
  if ("and" in condition) return Object.assign({}, ...condition.and.map(witnessFields));
  if ("or" in condition) {
    for (const c of condition.or) {
      const w = witnessFields(c);
      if (Object.keys(w).length > 0) return w;
    }
    return {};
  }
  if ("not" in condition) return {};
  const v = leafWitness(condition);
  return v === undefined || !condition.field || condition.field.includes(".") ? {} : { [condition.field]: v };
}

function leafWitness(c: LeafCondition): unknown {
  const value = c.value;
  const number = typeof value === "number" ? value : undefined;
  switch (c.op) {
    case "eq":
      return value;
    case "in":
      return Array.isArray(value) ? value[0] : undefined;
    case "gt":
      return number === undefined ? undefined : number + 1;
    case "gte":
    case "lte":
      return number;
    case "lt":
      return number === undefined ? undefined : number - 1;
    case "between":
      return Array.isArray(value) ? value[0] : undefined;
    case "contains":
    case "starts_with":
      return typeof value === "string" ? value : undefined;
    default:
      return undefined;
  }
}

export const SLA_OUTCOMES = ["met", "warning", "breach", "escalation"] as const;
export type SlaOutcome = (typeof SLA_OUTCOMES)[number];

/**
 * The SLA event a chosen milestone is (what the clock runtime appends when the milestone falls
 * due), or null for `met` — an SLA met has no milestone, so an `sla` trigger does not fire.
 * `level`: 1 for the breach; 2… for an escalation (default 2); 0 for the warning.
 */
export function slaMilestoneEvent(
  trigger: SlaTrigger,
  outcome: SlaOutcome,
  level?: number,
): { type: "sla.warning" | "sla.breached" | "sla.escalated"; milestone: string; level: number; fires: boolean } | null {
  if (outcome === "met") return null;
  const lv = outcome === "warning" ? 0 : outcome === "breach" ? 1 : Math.max(2, level ?? trigger.level ?? 2);
  const type = outcome === "warning" ? "sla.warning" : outcome === "breach" ? "sla.breached" : "sla.escalated";
  const milestone = outcome === "escalation" ? `level:${lv}` : outcome;
  const fires = trigger.milestones.includes(outcome) && (trigger.level === undefined || trigger.level === lv);
  return { type, milestone, level: lv, fires };
}
