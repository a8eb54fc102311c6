/**
 * Words and numbers as the record page shows them: a record's title, times ("14:32", "in 12 min"),
 * field values, and the engine's `why` made readable ("score (60) gt 40 → true" → "score (60) > 40: yes").
 */

import type { Schemas } from "../../api/client";

/** A record of any object as the API answers it: its own columns, then its fields. */
export type Rec = Schemas["AnyRecord"];

/** The name a person knows a record by: a person's full name, a name, a subject. */
export function recordTitle(r: Rec | null | undefined): string {
  if (!r) return "—";
  const person = [r.first_name, r.last_name].filter((x) => typeof x === "string" && x).join(" ");
  if (person) return person;
  for (const f of ["name", "subject"]) if (typeof r[f] === "string" && r[f]) return r[f] as string;
  if (r.object === "activity" && typeof r.type === "string") return `${r.type[0]?.toUpperCase()}${r.type.slice(1)}`;
  return `${r.object} ${r.id}`;
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "14:32" today, "Dec 3, 14:32" otherwise, in the reader's own zone and language. */
export function clock(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return sameDay(d, now)
    ? time
    : `${d.toLocaleDateString([], { month: "short", day: "numeric", year: d.getFullYear() === now.getFullYear() ? undefined : "numeric" })}, ${time}`;
}

/** "in 12 min", "3 h ago", "in 2 days", "just now". */
export function relative(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  if (abs < 45_000) return "just now";
  const [n, unit] =
    abs < 3_600_000
      ? [Math.round(abs / 60_000), "min"]
      : abs < 86_400_000
        ? [Math.round(abs / 3_600_000), "h"]
        : [Math.round(abs / 86_400_000), Math.round(abs / 86_400_000) === 1 ? "day" : "days"];
  return ms > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

export function fieldValue(v: unknown, type?: string): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return v.toLocaleString();
  if (type === "datetime" && typeof v === "string") return clock(v);
  if (Array.isArray(v)) return v.map((x) => fieldValue(x)).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const OPS: Array<[RegExp, string]> = [
  [/ gte /g, " ≥ "],
  [/ lte /g, " ≤ "],
  [/ gt /g, " > "],
  [/ lt /g, " < "],
  [/ neq /g, " is not "],
  [/ eq /g, " is "],
  [/ nin /g, " is none of "],
  [/ in /g, " is one of "],
  [/ → true/g, ": yes"],
  [/ → false/g, ": no"],
  [/ AND /g, " and "],
  [/ OR /g, " or "],
];

/** The engine's comparison text with operators a rep reads ("gt" → ">", "→ true" → ": yes"). */
export function readableWhy(why: string): string {
  return OPS.reduce((s, [re, to]) => s.replace(re, to), why);
}
