/**
 * What a run is given to decide on: one union from the engine through the work-item table (and
 * each run step's log) and back. Every decision of a run — a step, a timer, an event, a control
 * input, a failure — is decide(state, input, facts); nothing decides a run's next state by hand.
 */
import type { FieldChangeFact } from "./conditions.js";

export type RunInput =
  | { kind: "continue" }
  | { kind: "timer_fired"; timerId: string }
  /** The run's record changed (`changes`, also handed to conditions as facts): goals and wait-for conditions are checked. */
  | { kind: "record_changed"; changes?: readonly FieldChangeFact[] | undefined }
  /** A record linked to the run's record was created or updated. */
  | { kind: "related_event"; object: string; type: "created" | "updated"; link: string; record: Readonly<Record<string, unknown>> }
  /** The outcome of an external action; `response` is the receiver's parsed answer (HTTP JSON). */
  | { kind: "action_result"; key: string; ok: boolean; error?: string | undefined; response?: unknown }
  /** A person decided the run's pending approval request: approved, rejected or sent back (docs/approvals.md). */
  | { kind: "approval_settled"; requestId: string; status: "approved" | "rejected" | "revise"; outcome: string }
  /** The submitter resubmitted a request sent back for revision: the step asks again, one round later. */
  | { kind: "approval_resubmitted"; requestId: string; by: string; comment: string }
  | { kind: "cancel"; reason: string }
  /** The run's record is gone (and the run does not run on its last state): the run is cancelled. */
  | { kind: "record_deleted" }
  | { kind: "retry" }
  /** A step could not be carried out (a command that leads nowhere, attempts used up): the run fails. */
  | { kind: "failed"; error: string };

export type RunInputKind = RunInput["kind"];

/** The reason a run is cancelled with when its record is deleted (also on inputs queued before `record_deleted` existed). */
export const RECORD_DELETED = "the record was deleted";

/** A sentence for the run log's input column and the record's timeline. */
export function describeInput(input: RunInput): string {
  switch (input.kind) {
    case "timer_fired":
      return `timer ${input.timerId} fired`;
    case "related_event":
      return `${input.object} ${input.type} (${input.link})`;
    case "action_result":
      return `action ${input.key} ${input.ok ? "succeeded" : "failed"}`;
    case "approval_settled":
      return `approval ${input.requestId} ${input.status === "revise" ? "sent back" : input.status}`;
    case "approval_resubmitted":
      return `approval ${input.requestId} resubmitted`;
    case "cancel":
      return `cancel: ${input.reason}`;
    case "record_deleted":
      return `cancel: ${RECORD_DELETED}`;
    case "continue":
    case "record_changed":
    case "retry":
    case "failed":
      return input.kind;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";

function isChange(v: unknown): v is FieldChangeFact {
  return isObject(v) && isString(v.field) && "old" in v && "new" in v;
}

/**
 * One checker per kind (a missing kind is a compile error): what each input must hold to be
 * decided on. Stored inputs are JSON written by this code; the checks catch a row from outside
 * it (a hand edit, a future version's kind) at the boundary instead of deep inside decide().
 */
const CHECKS: { [K in RunInputKind]: (v: Record<string, unknown>) => Extract<RunInput, { kind: K }> | undefined } = {
  continue: () => ({ kind: "continue" }),
  timer_fired: (v) => (isString(v.timerId) ? { kind: "timer_fired", timerId: v.timerId } : undefined),
  record_changed: (v) => {
    if (v.changes === undefined) return { kind: "record_changed" };
    return Array.isArray(v.changes) && v.changes.every(isChange) ? { kind: "record_changed", changes: v.changes } : undefined;
  },
  related_event: (v) =>
    isString(v.object) && (v.type === "created" || v.type === "updated") && isString(v.link) && isObject(v.record)
      ? { kind: "related_event", object: v.object, type: v.type, link: v.link, record: v.record }
      : undefined,
  action_result: (v) => {
    if (!isString(v.key) || typeof v.ok !== "boolean" || (v.error !== undefined && !isString(v.error))) return undefined;
    return {
      kind: "action_result",
      key: v.key,
      ok: v.ok,
      ...(v.error !== undefined ? { error: v.error } : {}),
      ...(v.response !== undefined ? { response: v.response } : {}),
    };
  },
  approval_settled: (v) =>
    isString(v.requestId) && (v.status === "approved" || v.status === "rejected" || v.status === "revise") && isString(v.outcome)
      ? { kind: "approval_settled", requestId: v.requestId, status: v.status, outcome: v.outcome }
      : undefined,
  approval_resubmitted: (v) =>
    isString(v.requestId) && isString(v.by) && isString(v.comment)
      ? { kind: "approval_resubmitted", requestId: v.requestId, by: v.by, comment: v.comment }
      : undefined,
  cancel: (v) => (isString(v.reason) ? { kind: "cancel", reason: v.reason } : undefined),
  record_deleted: () => ({ kind: "record_deleted" }),
  retry: () => ({ kind: "retry" }),
  failed: (v) => (isString(v.error) ? { kind: "failed", error: v.error } : undefined),
};

const KINDS: ReadonlySet<string> = new Set(Object.keys(CHECKS));
const isKind = (k: unknown): k is RunInputKind => typeof k === "string" && KINDS.has(k);

/**
 * A stored input, read back (from a work item or a run step's log). One that is not an input of
 * this union becomes a `failed` input naming it: its run fails where a person sees it, rather
 * than the claim that read it.
 */
export function readRunInput(value: unknown): RunInput {
  const checked = isObject(value) && isKind(value.kind) ? CHECKS[value.kind](value) : undefined;
  return checked ?? { kind: "failed", error: `unreadable input: ${JSON.stringify(value)?.slice(0, 200)}` };
}
