/**
 * SLA clocks in words (pure): a status's word, business time ("2 h 15 min"), instants in the
 * reader's own locale and zone ("Mon, Dec 7, 11:00"), the next milestone ("warning at 10:30"),
 * the calendar ("Support EU (Europe/Paris)") and each history entry ("Paused: status is pending").
 * Shared by the record page's SLA panel and the at-risk page (docs/web.md).
 */
import type { Schemas } from "../../api/client";
import { readableWhy } from "../record/words";

export type SlaClock = Schemas["SlaClock"];
export type SlaClockAtRisk = Schemas["SlaClockAtRisk"];
export type ClockStatus = SlaClock["status"];
export type ClockHistoryEntry = SlaClock["history"][number];

export const STATUS_WORDS: Record<ClockStatus, string> = {
  running: "Running",
  paused: "Paused",
  warning: "Warning",
  breached: "Breached",
  met: "Met",
  missed: "Missed",
  cancelled: "Cancelled",
};

/** What each status means, said once beside the badge for those who do not know the words. */
export const STATUS_MEANING: Record<ClockStatus, string> = {
  running: "counting, in time",
  paused: "not counting",
  warning: "counting, target close",
  breached: "target passed, still open",
  met: "stopped in time",
  missed: "stopped after the target",
  cancelled: "stopped: the policy no longer applies",
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "2 h 15 min", "45 min", "3 h", "less than a minute" — business hours are hours of open time, never days. */
export function businessDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return "less than a minute";
  const h = Math.floor(abs / HOUR);
  const min = Math.floor((abs % HOUR) / MINUTE);
  return [h > 0 ? `${h} h` : "", min > 0 ? `${min} min` : ""].filter(Boolean).join(" ");
}

/** "1 h 20 min", "just now" — wall-clock time between two instants. */
export function wallDuration(fromMs: number, toMs: number): string {
  const ms = Math.abs(toMs - fromMs);
  if (ms < MINUTE) return "less than a minute";
  return businessDuration(ms);
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "today 11:00", "Mon, Dec 7, 11:00" (the reader's own language and zone). */
export function instant(iso: string, now: number = Date.now()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (sameDay(d, new Date(now))) return `today ${time}`;
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** The full date and time, for a `title` and the history. */
export function fullInstant(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "warning", "breach", "escalation level 2" — a milestone's key as a person says it. */
export function milestoneWords(key: string, level: number): string {
  if (key === "warning") return "warning";
  if (key === "breach") return "breach";
  return `escalation level ${level}`;
}

/** "Measured on the Support EU calendar (Europe/Paris)", or "Measured round the clock, 24×7 (UTC)" when the clock has no calendar. */
export function calendarWords(c: SlaClock["calendar"]): string {
  return c.name ? `Measured on the ${c.name} calendar (${c.time_zone})` : `Measured round the clock, 24×7 (${c.time_zone})`;
}

/**
 * When a history entry happened: a milestone's own due instant (warned, breached, escalated),
 * else the instant it was written; and how late the worker wrote it, when over a minute.
 */
export function historyInstant(h: ClockHistoryEntry): { at: string; lateMs: number } {
  const due = typeof h.detail.due_at === "string" ? h.detail.due_at : null;
  if (!due) return { at: h.at, lateMs: 0 };
  return { at: due, lateMs: Math.max(0, Date.parse(h.at) - Date.parse(due)) };
}

/**
 * Business time left as shown at `now`, ticking locally between polls only when it is sure to:
 * a running clock whose due instant is as far away in wall time as the business time it has
 * left (every minute until then is open time). Otherwise the last reading, until the next poll.
 */
export function leftAt(clock: Pick<SlaClock, "status" | "phase" | "left_ms" | "due_at">, readAt: number, now: number): number {
  if (clock.phase !== "running" || clock.due_at === null) return clock.left_ms;
  const open = Math.abs(Date.parse(clock.due_at) - readAt - clock.left_ms) < 2_000;
  return open ? clock.left_ms - Math.max(0, now - readAt) : clock.left_ms;
}

/** The instant the breach milestone fell due, from the history (null when it has not fired or has no entry). */
export function breachedAt(history: readonly ClockHistoryEntry[]): string | null {
  const entry = history.find((h) => h.kind === "breached");
  if (!entry) return null;
  return typeof entry.detail.due_at === "string" ? entry.detail.due_at : entry.at;
}

/** Since when a paused clock is paused: its last "paused" entry. */
export function pausedSince(history: readonly ClockHistoryEntry[]): ClockHistoryEntry | null {
  return [...history].reverse().find((h) => h.kind === "paused") ?? null;
}

const OUTCOME: Record<string, string> = { met: "met its target", missed: "missed its target", cancelled: "cancelled" };

/** One history entry in words: "Clock started (target 1 h)", "Paused: status is pending", "Escalated to level 2". */
export function historyWords(h: ClockHistoryEntry): string {
  const d = h.detail;
  const why = typeof d.why === "string" && d.why ? `: ${readableWhy(d.why)}` : "";
  switch (h.kind) {
    case "started":
      return typeof d.target_ms === "number" ? `Clock started (target ${businessDuration(d.target_ms)})` : "Clock started";
    case "paused":
      return `Paused${why}`;
    case "resumed":
      return `Resumed${why}`;
    case "retargeted": {
      const t = d.target_ms as { from?: unknown; to?: unknown } | undefined;
      return typeof t?.from === "number" && typeof t.to === "number"
        ? `Target changed from ${businessDuration(t.from)} to ${businessDuration(t.to)}`
        : "Target or calendar changed";
    }
    case "warned":
      return "Warning: the target is close";
    case "breached":
      return "Breached: the target passed";
    case "escalated":
      return `Escalated to level ${typeof d.level === "number" ? d.level : "?"}`;
    case "stopped": {
      const outcome = typeof d.outcome === "string" ? (OUTCOME[d.outcome] ?? d.outcome) : "";
      return outcome ? `Stopped: ${outcome}${why}` : `Stopped${why}`;
    }
    default:
      return h.kind;
  }
}
