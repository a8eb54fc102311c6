/**
 * `sla`: a milestone of an SLA policy's clock fell due on a record of the workflow's object
 * (docs/sla.md, "Milestones as events"): `sla.warning`, `sla.breached` (level 1) or
 * `sla.escalated` (levels 2…), each appended once per clock and milestone by the clock runtime.
 * The index holds these triggers under one kind per policy name (the events' `source`), so a
 * milestone looks up only the workflows naming its policy. `level` narrows to one level.
 * Whether the policy exists and measures the workflow's object is checked at publish by the
 * application (app/workflows/sla-uses.ts): the engine does not know the workspace's policies.
 */
import type { SLA_MILESTONES } from "../definition.js";
import type { TriggerEventType, TriggerKind } from "./kind.js";

type Milestone = (typeof SLA_MILESTONES)[number];

/** The trigger index kind of the `sla` triggers naming this policy. */
export function slaKind(policyName: string): string {
  return `sla:${policyName}`;
}

const MILESTONE_OF: Partial<Record<TriggerEventType, Milestone>> = {
  "sla.warning": "warning",
  "sla.breached": "breach",
  "sla.escalated": "escalation",
};

/** The milestone an event is, if it is an SLA event. */
export function slaMilestoneOf(type: TriggerEventType): Milestone | undefined {
  return MILESTONE_OF[type];
}

export const sla: TriggerKind<"sla"> = {
  indexKey: (t) => slaKind(t.policy),
  lookup: { events: ["sla.warning", "sla.breached", "sla.escalated"], key: (e) => slaKind(e.source ?? "") },
  fires(t, e) {
    const milestone = slaMilestoneOf(e.type);
    if (!milestone || e.source !== t.policy || !t.milestones.includes(milestone)) return false;
    return t.level === undefined || e.detail?.level === t.level;
  },
  check(t, ck, _object, path) {
    const seen = new Set<string>();
    t.milestones.forEach((m, i) => {
      if (seen.has(m)) ck.push([...path, "milestones", i], "invalid_value", `"${m}" is named twice`);
      seen.add(m);
    });
    if (t.level === undefined) return;
    const reachable = t.level === 1 ? t.milestones.includes("breach") : t.milestones.includes("escalation");
    if (!reachable)
      ck.push(
        [...path, "level"],
        "invalid_value",
        t.level === 1
          ? "level 1 is the breach: name the breach among the milestones"
          : `level ${t.level} is an escalation level: name escalation among the milestones`,
      );
  },
};
