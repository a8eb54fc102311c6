/**
 * A team's on-call rotation (docs/sla.md, "On-call"): its members take turns a week each, in
 * order, handing over at a wall time in the team's zone on the weekday of the rotation's first
 * day. Pure: the instant comes in. Weeks are counted on the wall clock, so a handover at 09:00
 * stays at 09:00 local across DST changes (the week that contains a change is an hour shorter or
 * longer in real time).
 */
import { addCalendarDays, wallTimeOf, zonedInstant } from "./zoned-time.js";

export interface OnCallRotation {
  /** User ids, in the order they take the week. */
  members: readonly string[];
  /** The first day of the first member's week, "YYYY-MM-DD" (its weekday is the handover day). */
  starts: string;
  /** The handover's wall time, "HH:MM" (default 09:00). */
  handover?: string | undefined;
}

export interface OnCallShift {
  userId: string;
  /** The member's place in `members`. */
  index: number;
  /** Epoch ms of the shift's handovers: it started at `from` and ends at `until`. */
  from: number;
  until: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The instant of the `week`-th handover (0 = the rotation's start) in `zone`. */
function handoverAt(r: OnCallRotation, week: number, zone: string): number {
  const [y, m, d] = r.starts.split("-").map(Number) as [number, number, number];
  const [hour, minute] = (r.handover ?? "09:00").split(":").map(Number) as [number, number];
  return zonedInstant(addCalendarDays({ year: y, month: m, day: d, hour, minute }, 7 * week), zone);
}

/** Who is on call at `atMs`; undefined before the rotation starts or when it has no members. */
export function onCallAt(r: OnCallRotation, zone: string, atMs: number): OnCallShift | undefined {
  if (r.members.length === 0) return undefined;
  const start = handoverAt(r, 0, zone);
  if (atMs < start) return undefined;
  // The real-time estimate is off by at most an hour a week: correct it against the wall clock.
  let week = Math.floor((atMs - start) / WEEK_MS);
  while (week > 0 && handoverAt(r, week, zone) > atMs) week--;
  while (handoverAt(r, week + 1, zone) <= atMs) week++;
  const index = week % r.members.length;
  return { userId: r.members[index] as string, index, from: handoverAt(r, week, zone), until: handoverAt(r, week + 1, zone) };
}

/** "Mon 09:00" — the weekday and time of the handover, for a person. */
export function handoverWords(r: OnCallRotation, zone: string): string {
  const w = wallTimeOf(handoverAt(r, 0, zone), zone);
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day)).toLocaleDateString("en", { weekday: "short", timeZone: "UTC" });
  return `${day} ${r.handover ?? "09:00"}`;
}
