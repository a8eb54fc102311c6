/**
 * A run's parts in words for the inspector: its status, a step's effects ("Owner set to …
 * because …"), durations, a delivery attempt. Pure.
 */
import { fullTime } from "../../components/time";
import type { DeliveryAttempt, RunStatus } from "./run-types";

export const STATUS_WORDS: Record<RunStatus, string> = {
  running: "Running",
  waiting: "Waiting",
  completed: "Completed",
  exited: "Left the workflow",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function statusWords(s: string): string {
  return STATUS_WORDS[s as RunStatus] ?? s;
}

/** 850 → "850 ms", 61_000 → "1 min 1 s", 3_723_000 → "1 h 2 min". */
export function elapsedWords(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ""}`;
  return `${Math.floor(h / 24)} days`;
}

type Effect = Record<string, unknown> & { command?: string };
const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const fieldList = (f: unknown) =>
  f && typeof f === "object"
    ? Object.entries(f as Record<string, unknown>)
        .map(([k, v]) => `${k} = ${str(v)}`)
        .join(", ")
    : "";

/** One effect of a step (src/runtime/effects.ts) as a sentence. */
export function effectWords(e: unknown): string {
  if (!e || typeof e !== "object") return str(e);
  const x = e as Effect;
  switch (x.command) {
    case "update_record":
      return `Updated the record: ${fieldList(x.fields)}`;
    case "create_record":
      return `Created ${str(x.object)} ${x.record_id ? str(x.record_id) : ""}${x.fields ? ` (${fieldList(x.fields)})` : ""}`.replace(
        "  ",
        " ",
      );
    case "assign_owner":
      return `Set ${str(x.field)} to user ${str(x.user_id)}: ${str(x.why)}`;
    case "change_score":
      return `Changed ${str(x.field)} from ${str(x.from)} to ${str(x.to)}`;
    case "notify":
      return `Notified user ${str(x.user_id)}: ${str(x.why)}`;
    case "start_timer":
      return `Started a timer due ${fullTime(str(x.due_at))}`;
    case "cancel_timer":
      return "Cancelled its timer";
    case "enroll":
      return `Started workflow ${str(x.workflow)} (run ${str(x.run_id)})`;
    case "unenroll":
      return `Stopped workflow ${str(x.workflow)}`;
    case "enqueue_external":
      return "error" in x
        ? `Could not send: ${str(x.error)}`
        : `Queued ${str(x.kind)} for delivery${x.connector ? ` through connector ${str(x.connector)}` : ""}${x.outbox_id ? "" : " (already queued)"}`;
    default:
      return JSON.stringify(x);
  }
}

export function effectsOf(effects: unknown): unknown[] {
  return Array.isArray(effects) ? effects : effects ? [effects] : [];
}

/** The owner's reason, when the step chose an owner: the strategy's why. */
export function ownerReason(effects: unknown): string | undefined {
  for (const e of effectsOf(effects)) {
    const x = e as Effect;
    if (x && x.command === "assign_owner" && typeof x.why === "string") return x.why;
  }
  return undefined;
}

export function attemptWords(a: DeliveryAttempt): string {
  const answer = a.status !== null ? `answered ${a.status}` : "";
  const error = a.error ? a.error : "";
  const detail = [answer, error].filter(Boolean).join(": ");
  const outcome = a.outcome === "delivered" ? "delivered" : a.outcome === "dead" ? "gave up" : "will retry";
  return `${outcome}${detail ? ` (${detail})` : ""}${a.outcome === "retry" && a.next_attempt_at ? `, next try ${fullTime(a.next_attempt_at)}` : ""}`;
}
