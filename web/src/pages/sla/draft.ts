/**
 * The policy editor's state (a draft) and the API's policy, both ways (docs/sla.md, "SLA
 * policies"). The draft keeps what a form needs that the API's shape cannot hold: the settings
 * of a start, stop or warning kind that is not chosen right now (switching back finds them), and
 * the "different target by a field" as rows, so a row whose value is not chosen yet exists.
 * Pure; relative imports carry `.js` so the root TypeScript project (the unit tests) resolves them.
 */
import type { Schemas } from "../../api/client.js";
import type { paths } from "../../api/schema.js";
import type { Condition } from "../../components/graph/definition.js";

export type Policy = Schemas["SlaPolicy"];
type CreateBody = NonNullable<paths["/api/v1/sla/policies"]["post"]["requestBody"]>["content"]["application/json"];
export type ObjectName = CreateBody["object"];
export const OBJECT_NAMES = [
  "ticket",
  "lead",
  "deal",
  "contact",
  "company",
  "task",
  "activity",
  "user",
  "team",
] as const satisfies readonly ObjectName[];
export const isObjectName = (s: string): s is ObjectName => (OBJECT_NAMES as readonly string[]).includes(s);
export type SlaDuration = { days?: number; hours?: number; minutes?: number };
export type Value = string | number | boolean;
export type CalendarRef = Policy["calendar"];
export type StartOn = Policy["starts"]["on"];
export type StopOn = Policy["stops"]["on"];
export type WarningKind = "none" | "fraction" | "before";

export interface Draft {
  name: string;
  description: string;
  object: ObjectName;
  enabled: boolean;
  appliesWhen: Condition | undefined;
  starts: { on: StartOn; field: string; to: Value[] };
  stops: { on: StopOn; types: string[]; by: "owner" | "anyone"; field: string; in: Value[] };
  target: SlaDuration;
  targetsBy: { field: string; rows: { value: string; target: SlaDuration }[] } | null;
  calendar: CalendarRef;
  pauseWhen: Condition | undefined;
  /** `percent` of the target (75 = 0.75), or `minutes` before it; undefined while the input is empty. */
  warning: { kind: WarningKind; percent: number | undefined; minutes: number | undefined };
  escalations: SlaDuration[];
}

export const ACTIVITY_TYPES = ["call", "email", "meeting", "note"] as const;

export function emptyDraft(object: ObjectName = "ticket"): Draft {
  return {
    name: "",
    description: "",
    object,
    enabled: true,
    appliesWhen: undefined,
    starts: { on: "created", field: "", to: [] },
    stops: { on: "activity", types: ["email", "call"], by: "owner", field: "", in: [] },
    target: { hours: 4 },
    targetsBy: null,
    calendar: { of: "workspace" },
    pauseWhen: undefined,
    warning: { kind: "fraction", percent: 75, minutes: 30 },
    escalations: [],
  };
}

const minutesOf = (d: SlaDuration) => (d.days ?? 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);

export function draftOf(p: Policy): Draft {
  const empty = emptyDraft();
  const s = p.starts;
  const t = p.stops;
  return {
    name: p.name,
    description: p.description,
    object: isObjectName(p.object) ? p.object : "ticket",
    enabled: p.enabled,
    appliesWhen: (p.applies_when ?? undefined) as Condition | undefined,
    starts: s.on === "created" ? empty.starts : { on: s.on, field: s.field, to: s.to ?? [] },
    stops:
      t.on === "activity"
        ? { ...empty.stops, on: t.on, types: t.types, by: t.by }
        : t.on === "field_value"
          ? { ...empty.stops, types: [], on: t.on, field: t.field, in: t.in }
          : { ...empty.stops, types: [], on: t.on, field: t.field },
    target: p.target,
    targetsBy: p.targets_by
      ? { field: p.targets_by.field, rows: Object.entries(p.targets_by.values).map(([value, target]) => ({ value, target })) }
      : null,
    calendar: p.calendar,
    pauseWhen: (p.pause_when ?? undefined) as Condition | undefined,
    warning: !p.warning
      ? { kind: "none", percent: 75, minutes: 30 }
      : "fraction" in p.warning
        ? { kind: "fraction", percent: Math.round(p.warning.fraction * 10_000) / 100, minutes: 30 }
        : { kind: "before", percent: 75, minutes: minutesOf(p.warning.before) },
    escalations: p.escalations.map((e) => e.after),
  };
}

/** A duration as the API takes it: the parts typed, none left out that was given. */
const duration = (d: SlaDuration): SlaDuration => ({
  ...(d.days !== undefined ? { days: d.days } : {}),
  ...(d.hours !== undefined ? { hours: d.hours } : {}),
  ...(d.minutes !== undefined ? { minutes: d.minutes } : {}),
});

/**
 * The body of a create (PATCH sends the same without `object`, which is fixed). Unset optional
 * parts are `null`, so a PATCH clears them. What the person typed is sent as typed — an empty
 * number as nothing, a 0 as 0 — and the server says what is wrong with it, by path.
 */
export function bodyOf(d: Draft) {
  const starts =
    d.starts.on === "created"
      ? ({ on: "created" } as const)
      : ({ on: "field_changed", field: d.starts.field, ...(d.starts.to.length > 0 ? { to: d.starts.to } : {}) } as const);
  const stops =
    d.stops.on === "activity"
      ? ({ on: "activity", types: d.stops.types, by: d.stops.by } as const)
      : d.stops.on === "field_value"
        ? ({ on: "field_value", field: d.stops.field, in: d.stops.in } as const)
        : ({ on: "field_changed", field: d.stops.field } as const);
  const warning =
    d.warning.kind === "fraction"
      ? { fraction: (d.warning.percent ?? 0) / 100 }
      : d.warning.kind === "before"
        ? { before: { minutes: d.warning.minutes ?? 0 } }
        : null;
  return {
    name: d.name.trim(),
    description: d.description,
    object: d.object,
    enabled: d.enabled,
    applies_when: d.appliesWhen ?? null,
    starts,
    stops,
    target: duration(d.target),
    targets_by: d.targetsBy
      ? { field: d.targetsBy.field, values: Object.fromEntries(d.targetsBy.rows.map((r) => [r.value, duration(r.target)])) }
      : null,
    calendar: d.calendar,
    pause_when: d.pauseWhen ?? null,
    warning,
    escalations: d.escalations.map((after) => ({ after: duration(after) })),
  };
}

export type PolicyBody = ReturnType<typeof bodyOf>;

/** The PATCH of an edit: every part but the object. */
export function patchOf(d: Draft) {
  const { object: _fixed, ...rest } = bodyOf(d);
  return rest;
}

/** "of:team" / "name:Support EU": a calendar reference as one select's value, and back. */
export const calendarKey = (c: CalendarRef): string => ("name" in c ? `name:${c.name}` : `of:${c.of}`);
export function calendarOfKey(key: string): CalendarRef {
  if (key.startsWith("name:")) return { name: key.slice(5) };
  const of = key.slice(3);
  return { of: of === "owner" || of === "team" ? of : "workspace" };
}
