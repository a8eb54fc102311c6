/**
 * SLA policies in words, for the list and the editor's summary: "4 business hours; P1: 1 h",
 * "the team's calendar", "Tickets: clock starts when created, stops when the owner logs an email
 * or a call; …". Pure; relative imports carry `.js` (the unit tests import it).
 */
import type { Condition } from "../../components/graph/definition.js";
import { conditionWords, fieldWords, valueWords } from "../../components/graph/describe.js";
import type { CalendarRef, Draft, SlaDuration } from "./draft.js";

const totalMinutes = (d: SlaDuration) => (d.days ?? 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);

/**
 * A business time, short: "1 h", "1 h 30 min", "45 min". Days are 24 h of open time (docs/sla.md),
 * so they are said as hours — "2 days" would read as two working days, which they are not.
 */
export function durationShort(d: SlaDuration): string {
  const m = totalMinutes(d);
  const h = Math.floor(m / 60);
  const min = m % 60;
  if (h === 0) return `${min} min`;
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

/** "4 business hours", "1 business hour", "30 business minutes", "1 h 30 min of business time". */
export function businessTime(d: SlaDuration): string {
  const m = totalMinutes(d);
  if (m % 60 === 0 && m > 0) return `${m / 60} business ${m === 60 ? "hour" : "hours"}`;
  if (m < 60) return `${m} business ${m === 1 ? "minute" : "minutes"}`;
  return `${durationShort(d)} of business time`;
}

export interface TargetsBy {
  field: string;
  values: Record<string, SlaDuration> | { value: string; target: SlaDuration }[];
}

const byRows = (t: TargetsBy) =>
  Array.isArray(t.values) ? t.values.filter((r) => r.value !== "") : Object.entries(t.values).map(([value, target]) => ({ value, target }));

/** "4 business hours; P1: 1 h, P2: 2 h". */
export function targetWords(target: SlaDuration, by: TargetsBy | null | undefined): string {
  const rows = by ? byRows(by) : [];
  const others = rows.map((r) => `${r.value}: ${durationShort(r.target)}`).join(", ");
  return others ? `${businessTime(target)}; ${others}` : businessTime(target);
}

/** "the workspace's calendar", "the owner's calendar", "the team's calendar", "Support EU". */
export function calendarWords(c: CalendarRef): string {
  if ("name" in c) return c.name;
  return c.of === "owner" ? "the owner's calendar" : c.of === "team" ? "the owner's team's calendar" : "the workspace's calendar";
}

/** A condition as a sentence reads it: "status is pending", "category is not spam". */
export function conditionText(c: Condition): string {
  try {
    return conditionWords(c).replaceAll(" = ", " is ").replaceAll(" ≠ ", " is not ");
  } catch {
    return JSON.stringify(c);
  }
}

/** "an email or a call", "a note", "anything". */
function orList(words: string[]): string {
  if (words.length === 0) return "nothing";
  const a = words.map((w) => `${/^[aeiou]/.test(w) ? "an" : "a"} ${w}`);
  return a.length === 1 ? (a[0] ?? "") : `${a.slice(0, -1).join(", ")} or ${a.at(-1)}`;
}

const values = (vs: readonly unknown[]) => (vs.length === 1 ? valueWords(vs[0]) : vs.map(valueWords).join(" or "));

export function startWords(s: Draft["starts"]): string {
  if (s.on === "created") return "when created";
  if (!s.field) return "when a field changes";
  return s.to.length > 0 ? `when ${fieldWords(s.field)} changes to ${values(s.to)}` : `when ${fieldWords(s.field)} changes`;
}

export function stopWords(s: Draft["stops"]): string {
  if (s.on === "activity") return `when ${s.by === "owner" ? "the owner" : "anyone"} logs ${orList(s.types)}`;
  if (!s.field) return s.on === "field_value" ? "when a field reaches a value" : "when a field changes";
  if (s.on === "field_value") return `when ${fieldWords(s.field)} is ${s.in.length > 0 ? values(s.in) : "…"}`;
  return `when ${fieldWords(s.field)} changes`;
}

export function warningWords(w: Draft["warning"]): string {
  if (w.kind === "fraction") return `warns at ${w.percent ?? "…"} %`;
  if (w.kind === "before") return `warns ${w.minutes ?? "…"} min before the target`;
  return "no warning";
}

export function escalationWords(levels: readonly SlaDuration[]): string {
  if (levels.length === 0) return "no escalation after the breach";
  const list = levels.map(durationShort);
  const joined = list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
  return `escalates ${joined} after the breach`;
}

/**
 * The whole policy in one paragraph, as the editor shows it above the form: "Tickets: clock
 * starts when created, stops when the owner logs an email or a call; 4 business hours on the
 * owner's team's calendar (P1: 1 h); paused while status is pending; warns at 75 %; escalates
 * 1 h and 4 h after the breach."
 */
export function policySummary(d: Draft, pluralLabel: string): string {
  const which = d.appliesWhen ? `${pluralLabel} where ${conditionText(d.appliesWhen)}` : pluralLabel;
  const rows = d.targetsBy ? byRows({ field: d.targetsBy.field, values: d.targetsBy.rows }) : [];
  const by = rows.length > 0 ? ` (${rows.map((r) => `${r.value}: ${durationShort(r.target)}`).join(", ")})` : "";
  const parts = [
    `${which}: clock starts ${startWords(d.starts)}, stops ${stopWords(d.stops)}`,
    `${businessTime(d.target)} on ${calendarWords(d.calendar)}${by}`,
    ...(d.pauseWhen ? [`paused while ${conditionText(d.pauseWhen)}`] : []),
    warningWords(d.warning),
    escalationWords(d.escalations),
  ];
  return `${parts.join("; ")}.${d.enabled ? "" : " Switched off: it starts no new clocks."}`;
}
