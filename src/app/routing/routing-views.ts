/**
 * Routing as the API, the CLI and the web app show it (snake_case JSON): queues with their
 * members' names and held records, rule sets with their targets named, and assignment reasons.
 */
import type { StoredRecord } from "../../store/ports.js";
import type { AssignmentRow, QueueRow, RoutingTarget, RuleSetRow } from "../../store/routing-ports.js";

export type Names = (id: string) => string | undefined;

export function targetLabel(t: RoutingTarget | null, queueName: Names, recordName: Names): string {
  if (t === null) return "nobody";
  if ("user_id" in t) return recordName(t.user_id) ?? t.user_id;
  if ("team" in t) return `team ${recordName(t.team) ?? t.team} (round-robin)`;
  return `queue ${queueName(t.queue) ?? t.queue}`;
}

export function queueView(q: QueueRow, recordName: Names, queueName: Names, held: number) {
  return {
    id: q.id,
    name: q.name,
    description: q.description,
    strategy: q.strategy,
    respect_availability: q.respectAvailability,
    respect_capacity: q.respectCapacity,
    load: q.load,
    fallback: q.fallback,
    fallback_label:
      q.fallback === null
        ? "none (the assignment fails)"
        : "hold" in q.fallback
          ? "hold until someone is free"
          : "queue" in q.fallback
            ? `queue ${queueName(q.fallback.queue) ?? q.fallback.queue}`
            : (recordName(q.fallback.user_id) ?? q.fallback.user_id),
    members: q.members.map((m) => ({
      user_id: m.user_id,
      name: recordName(m.user_id) ?? m.user_id,
      weight: m.weight,
      capacity: m.capacity ?? null,
    })),
    held,
    version: q.version,
    updated_at: q.updatedAt,
  };
}
export type QueueView = ReturnType<typeof queueView>;

export function ruleSetView(r: RuleSetRow, recordName: Names, queueName: Names) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    object: r.object,
    field: r.field,
    on_create: r.onCreate,
    rules: r.rules.map((rule) => ({ ...rule, target_label: targetLabel(rule.target, queueName, recordName) })),
    default_target: r.defaultTarget,
    default_target_label: targetLabel(r.defaultTarget, queueName, recordName),
    version: r.version,
    updated_at: r.updatedAt,
  };
}
export type RuleSetView = ReturnType<typeof ruleSetView>;

export function assignmentView(a: AssignmentRow, recordName: Names) {
  return {
    id: a.id,
    record_id: a.recordId,
    record_name: recordName(a.recordId) ?? null,
    object: a.object,
    field: a.field,
    at: a.at,
    outcome: a.outcome,
    user_id: a.userId,
    user_name: a.userId ? (recordName(a.userId) ?? a.userId) : null,
    previous_user_id: a.previousUserId,
    source: a.source,
    rule_set: a.ruleSet,
    rules: a.rules,
    matched_rule: a.matchedRule,
    target: a.target,
    queue: a.queue,
    candidates: a.candidates.map((c) => ({
      user_id: c.userId,
      name: c.name,
      eligible: c.eligible,
      reason: c.reason?.text ?? null,
      reason_code: c.reason?.code ?? null,
      weight: c.weight,
      load: c.load ?? null,
      capacity: c.capacity ?? null,
    })),
    detail: a.detail,
    fallbacks: a.fallbacks,
    why: a.why,
  };
}
export type AssignmentView = ReturnType<typeof assignmentView>;

export function availabilityView(u: StoredRecord) {
  return {
    user_id: u.id,
    name: String(u.data.name ?? u.id),
    available_now: u.data.available_now !== false,
    time_zone: typeof u.data.time_zone === "string" ? u.data.time_zone : "UTC",
    working_hours: (u.data.working_hours ?? null) as Record<string, [string, string][]> | null,
    pto: (Array.isArray(u.data.pto) ? u.data.pto : []) as { start: string; end: string }[],
    capacity: typeof u.data.capacity === "number" ? u.data.capacity : null,
  };
}
export type AvailabilityView = ReturnType<typeof availabilityView>;
