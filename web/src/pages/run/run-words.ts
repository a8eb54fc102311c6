/**
 * A run's parts in words for the inspector: its status, a step's effects ("Owner set to …
 * because …"), durations, a delivery attempt. Pure.
 */
import { fullTime } from "../../components/time";
import type { DeliveryAttempt, RunStatus, RunWait, StepEffect } from "./run-types";

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

const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const fieldList = (f: Record<string, unknown>) =>
  Object.entries(f)
    .map(([k, v]) => `${k} = ${str(v)}`)
    .join(", ");

/** One effect of a step (src/runtime/effects.ts) as a sentence. */
/** A sentence from the server's lower-case clause. */
const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

export function effectWords(x: StepEffect): string {
  switch (x.command) {
    case "update_record":
      return `Updated the record: ${fieldList(x.fields)}`;
    case "create_record":
      return `Created ${x.object} ${x.record_id ?? ""} (${fieldList(x.fields)})`.replace("  ", " ");
    case "assign_owner":
      return `Set ${x.field} to user ${x.user_id}: ${x.why}`;
    case "change_score":
      return `Changed ${x.field} from ${x.from} to ${x.to}`;
    case "notify":
      return `Notified user ${x.user_id}: ${x.why}`;
    case "merge_records":
      return x.merged ? `${sentence(x.why)} (merge ${x.merge_id})` : sentence(x.why);
    case "queue_review":
      return x.added ? `Put the record in the review queue (item ${x.item_id})` : `Already in the review queue (item ${x.item_id})`;
    case "start_timer":
      return `Started a timer due ${fullTime(x.due_at)}`;
    case "cancel_timer":
      return "Cancelled its timer";
    case "enroll":
      return `Started workflow ${x.workflow} (run ${x.run_id})`;
    case "unenroll":
      return `Stopped workflow ${x.workflow}`;
    case "open_approval":
      return `Asked for approval (request ${x.request_id}, round ${x.round})${x.asked.length > 0 ? `: ${x.asked.join(", ")}` : ""}${x.notes.length > 0 ? ` — ${x.notes.join("; ")}` : ""}`;
    case "escalate_approval":
      return `Escalated approval request ${x.request_id}${x.added.length > 0 ? ` to ${x.added.join(", ")}` : ""}`;
    case "close_approval":
      return x.closed
        ? `Closed approval request ${x.request_id}: ${x.status}`
        : `Approval request ${x.request_id} had been decided already (${x.status})`;
    case "record_prediction": {
      const sure = `${Math.round(x.confidence * 100)} % sure`;
      const why = x.reasons.length > 0 ? `; why: ${x.reasons.join(", ")}` : "";
      return x.applied
        ? `AI model ${x.model} set ${x.field} to ${x.value}, ${sure}${why}`
        : `AI model ${x.model} guessed ${x.field} = ${x.value}, only ${sure} (threshold ${Math.round(x.threshold * 100)} %): left for a person${why}`;
    }
    case "enqueue_external":
      return "error" in x
        ? `Could not send: ${x.error}`
        : `Queued ${x.kind} for delivery${x.connector ? ` through connector ${x.connector}` : ""}${x.outbox_id ? "" : " (already queued)"}`;
  }
}

/** The owner's reason, when the step chose an owner: the strategy's why. */
export function ownerReason(effects: readonly StepEffect[]): string | undefined {
  for (const e of effects) if (e.command === "assign_owner") return e.why;
  return undefined;
}

/** The outbox items the step put its external actions on. */
export function enqueuedIds(effects: readonly StepEffect[]): string[] {
  return effects.flatMap((e) => (e.command === "enqueue_external" && "outbox_id" in e && e.outbox_id ? [e.outbox_id] : []));
}

export function attemptWords(a: DeliveryAttempt): string {
  const answer = a.status !== null ? `answered ${a.status}` : "";
  const error = a.error ? a.error : "";
  const detail = [answer, error].filter(Boolean).join(": ");
  const outcome = a.outcome === "delivered" ? "delivered" : a.outcome === "dead" ? "gave up" : "will retry";
  return `${outcome}${detail ? ` (${detail})` : ""}${a.outcome === "retry" && a.next_attempt_at ? `, next try ${fullTime(a.next_attempt_at)}` : ""}`;
}

/**
 * A run's approval wait in words: "waiting for an approval decision (round 2), until Mon 7 Dec,
 * 11:00 at the latest" / "sent back for revision; waiting for the submitter to resubmit".
 */
export function approvalWaitWords(w: Extract<NonNullable<RunWait>, { kind: "approval" | "revision" }>): string {
  if (w.kind === "revision") return "sent back for revision; waiting for the submitter to resubmit";
  const escalated = w.escalations > 0 ? `, escalated ${w.escalations === 1 ? "once" : `${w.escalations} times`}` : "";
  return `waiting for an approval decision (round ${w.round})${escalated}${w.dueAt ? `, until ${fullTime(w.dueAt)} at the latest` : ""}`;
}
