/**
 * How `handoff routing …` shows queues, rule sets, simulations, assignment reasons, the
 * distribution and availability to a person: lists one item per line, tab-separated, like the
 * other lists; a single item, a simulation or a reason as labelled lines and aligned tables.
 * Every function returns lines; the command prints them (or the JSON instead, with --json).
 */
import type { QueueAdmin } from "../../app/routing/queue-admin.js";
import type { RoutingInsights } from "../../app/routing/routing-insights.js";
import type { AssignmentView, AvailabilityView, QueueView, RuleSetView } from "../../app/routing/routing-views.js";
import { assertNever } from "../../crm/never.js";
import { share, table } from "../table.js";

export type Simulation = Awaited<ReturnType<RoutingInsights["simulate"]>>;
export type Applied = Awaited<ReturnType<RoutingInsights["applyToUnowned"]>>;
export type Distribution = Awaited<ReturnType<RoutingInsights["distribution"]>>;
type Held = Awaited<ReturnType<QueueAdmin["holds"]>>[number];

const compact = (value: unknown) => (value === null || value === undefined ? "-" : JSON.stringify(value));
const label = (name: string, value: string) => `${name.padEnd(11)}${value}`;

function member(m: QueueView["members"][number]): string {
  return `${m.name} (weight ${m.weight}${m.capacity !== null ? `, cap ${m.capacity}` : ""})`;
}

function respects(q: QueueView): string {
  const parts = [...(q.respect_availability ? ["availability"] : []), ...(q.respect_capacity ? ["capacity"] : [])];
  return parts.length > 0 ? parts.join(", ") : "neither availability nor capacity";
}

/** `Inbound	weighted	Ana Lee (weight 3), Bo Chen (weight 1)	fallback: hold until someone is free	0 held` */
export function queueLine(q: QueueView): string {
  return `${q.name}\t${q.strategy}\t${q.members.map(member).join(", ")}\tfallback: ${q.fallback_label}\t${q.held} held`;
}

export function queueLines(q: QueueView): string[] {
  return [
    label("queue", `${q.name} (id ${q.id}, version ${q.version}, updated ${q.updated_at})`),
    ...(q.description ? [label("about", q.description)] : []),
    label("strategy", q.strategy),
    label("respects", respects(q)),
    label("load", q.load ? `${q.load.object} by ${q.load.owner_field}${q.load.where ? ` where ${compact(q.load.where)}` : ""}` : "-"),
    label("fallback", q.fallback_label),
    label("held", `${q.held} record(s)`),
    "members",
    ...table(
      ["name", "user id", "weight", "capacity"],
      q.members.map((m) => [m.name, m.user_id, String(m.weight), m.capacity === null ? "user's own" : String(m.capacity)]),
    ),
  ];
}

export function heldLine(h: Held): string {
  return `${h.held_at}\t${h.record_id}\t${h.record_name}\t${h.field}`;
}

/** `Inbound leads	lead.owner_id	on create	3 rules	default: queue Inbound` */
export function ruleSetLine(r: RuleSetView): string {
  return `${r.name}\t${r.object}.${r.field}\t${r.on_create ? "on create" : "workflows only"}\t${r.rules.length} rule(s)\tdefault: ${r.default_target_label}`;
}

export function ruleSetLines(r: RuleSetView): string[] {
  return [
    label("rule set", `${r.name} (id ${r.id}, version ${r.version}, updated ${r.updated_at})`),
    ...(r.description ? [label("about", r.description)] : []),
    label("object", `${r.object}, fills ${r.field}`),
    label("on create", r.on_create ? "yes: every new record without an owner" : "no: only when a workflow asks"),
    "rules      in priority order; the first that matches decides",
    ...table(
      ["#", "id", "name", "target", "when"],
      r.rules.map((rule, i) => [String(i + 1), rule.id, rule.name, rule.target_label, compact(rule.when)]),
    ),
    label("default", r.default_target_label),
  ];
}

export function simulationLines(s: Simulation): string[] {
  const assigned = s.per_member.reduce((n, m) => n + m.count, 0);
  return [
    `rule set ${s.rule_set.name} v${s.rule_set.version} over ${s.records} ${s.rule_set.object} record(s), oldest first — nothing was written`,
    "",
    `per member (${assigned} assigned)`,
    ...(s.per_member.length > 0
      ? table(
          ["member", "records", "share"],
          s.per_member.map((m) => [m.name, String(m.count), share(m.count, assigned)]),
        )
      : ["  nobody would be assigned"]),
    "",
    "per rule",
    ...(s.per_rule.length > 0
      ? table(
          ["rule", "records"],
          s.per_rule.map((r) => [r.rule, String(r.count)]),
        )
      : ["  no records"]),
    "",
    `fallback (${s.fallback.length}): held, failed or passed on to a fallback`,
    ...(s.fallback.length > 0
      ? table(
          ["record", "outcome", "owner", "through", "why"],
          s.fallback.map((d) => [
            `${d.record_name ?? d.record_id} (${d.record_id})`,
            d.outcome,
            d.user_name ?? "-",
            d.fallbacks.join(" → ") || "-",
            d.why,
          ]),
        )
      : ["  none"]),
  ];
}

/** What an apply did: the counts, then one line per decision. */
export function appliedLines(a: Applied): string[] {
  return [
    `${a.assigned} assigned, ${a.held} held, ${a.failed} failed`,
    ...(a.decisions.length > 0
      ? [
          "",
          ...table(
            ["record", "outcome", "owner", "why"],
            a.decisions.map((d) => [`${d.record_name ?? d.record_id} (${d.record_id})`, d.outcome, d.user_name ?? "-", d.why]),
          ),
        ]
      : ["no record without an owner among them"]),
  ];
}

function sourceText(a: AssignmentView, workflowKey: (id: string) => string): string {
  const s = a.source;
  switch (s.kind) {
    case "workflow":
      return `workflow ${workflowKey(s.workflow_id)}, run ${s.run_id}, step ${s.step}`;
    case "on_create":
      return "the rule set, on create";
    case "hold_released":
      return "released from hold";
    case "rule_set_applied":
      return "the rule set, applied to records without an owner";
    case "simulation":
      return "a simulation";
    default:
      return assertNever(s);
  }
}

function outcomeText(a: AssignmentView): string {
  const was = a.previous_user_id ? ` (was ${a.previous_user_id})` : "";
  if (a.outcome === "assigned") return `assigned to ${a.user_name ?? a.user_id}${was}`;
  return a.outcome === "held" ? `held: nobody free yet${was}` : `failed: nobody assigned${was}`;
}

/** The whole reason of one decision: rules evaluated, the queue, every candidate and why. */
export function assignmentLines(a: AssignmentView, workflowKey: (id: string) => string): string[] {
  return [
    label("assignment", `${a.id} at ${a.at}`),
    label("record", `${a.record_name ?? a.record_id} (${a.object} ${a.record_id}), field ${a.field}`),
    label("outcome", outcomeText(a)),
    label("by", sourceText(a, workflowKey)),
    label("rule set", a.rule_set ? `${a.rule_set.name} v${a.rule_set.version}` : "-"),
    ...(a.rules.length > 0
      ? [
          "rules      evaluated in order",
          ...table(
            ["matched", "rule", "why"],
            a.rules.map((r) => [r.matched ? "yes" : "no", r.name, r.why]),
          ),
        ]
      : []),
    label("matched", a.matched_rule ?? (a.rule_set ? "no rule: the default target" : "-")),
    label("target", compact(a.target)),
    label("queue", a.queue ? `${a.queue.name} (${a.queue.strategy}, v${a.queue.version})` : "-"),
    label("fallbacks", a.fallbacks.length > 0 ? a.fallbacks.join(" → ") : "-"),
    ...(a.candidates.length > 0
      ? [
          "candidates",
          ...table(
            ["name", "eligible", "reason", "weight", "load", "capacity"],
            a.candidates.map((c) => [
              c.name,
              c.eligible ? "yes" : "no",
              c.reason ?? "-",
              String(c.weight),
              c.load === null ? "-" : String(c.load),
              c.capacity === null ? "-" : String(c.capacity),
            ]),
          ),
        ]
      : []),
    ...(a.detail !== null ? [label("detail", compact(a.detail))] : []),
    label("why", a.why),
  ];
}

/** `2026-12-04T09:00:00.000Z	Fox Mulder (01m…)	assigned	Ana Lee	queue Inbound: …` */
export function assignmentLine(a: AssignmentView): string {
  return `${a.at}\t${a.record_name ?? "-"} (${a.record_id})\t${a.outcome}\t${a.user_name ?? "-"}\t${a.why}`;
}

export function distributionLines(d: Distribution): string[] {
  const out = [`assignments in the last ${d.days} day(s), since ${d.since}`];
  if (d.queues.length === 0) out.push("  none");
  for (const q of d.queues) {
    const assigned = q.members.reduce((n, m) => n + m.count, 0);
    out.push("", `${q.queue_name}: ${assigned} assigned, ${q.held} held, ${q.failed} failed`);
    if (q.members.length > 0)
      out.push(
        ...table(
          ["member", "records", "share"],
          q.members.map((m) => [m.name, String(m.count), share(m.count, assigned)]),
        ),
      );
  }
  return out;
}

function hours(v: AvailabilityView): string {
  const days = Object.entries(v.working_hours ?? {});
  if (days.length === 0) return "any time";
  return days.map(([day, spans]) => `${day} ${spans.length > 0 ? spans.map(([a, b]) => `${a}-${b}`).join(",") : "off"}`).join(" ");
}

const pto = (v: AvailabilityView) => (v.pto.length > 0 ? v.pto.map((p) => `${p.start}/${p.end}`).join(" ") : "no PTO");

/** `01m…	Ana Lee	available	Europe/Berlin	mon 09:00-17:00 …	no PTO` */
export function availabilityLine(v: AvailabilityView): string {
  return `${v.user_id}\t${v.name}\t${v.available_now ? "available" : "unavailable"}\t${v.time_zone}\t${hours(v)}\t${pto(v)}`;
}

export function availabilityLines(v: AvailabilityView): string[] {
  return [
    label("user", `${v.name} (${v.user_id})`),
    label("switch", v.available_now ? "available" : "unavailable (kept out of queue rotations)"),
    label("time zone", v.time_zone),
    label("hours", `${hours(v)}${v.working_hours && Object.keys(v.working_hours).length > 0 ? ` (in ${v.time_zone})` : ""}`),
    label("PTO", pto(v)),
    label("capacity", v.capacity === null ? "-" : `${v.capacity} open item(s)`),
  ];
}
