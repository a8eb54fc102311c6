/**
 * What the engine asks the runtime to do: data, not calls. Internal commands are applied in the
 * step's transaction; `enqueue_external` goes on the outbox and its outcome comes back as an
 * `action_result` input.
 */
import type { ObjectName } from "../crm/fields.js";
import type { PredictionFact } from "./conditions.js";
import type { ActionSpec, ApprovalRequire, ApproverSpec, PersonSpec } from "./definition.js";

export type AssignTarget = Extract<ActionSpec, { type: "assign_owner" }>["to"];

export type Command =
  | { type: "update_record"; fields: Record<string, unknown> }
  | { type: "create_record"; object: ObjectName; fields: Record<string, unknown>; owner?: PersonSpec | undefined }
  | { type: "assign_owner"; field: string; to: AssignTarget; excludeCurrent: boolean }
  | { type: "change_score"; field: string; by: number }
  | { type: "enroll"; workflow: string }
  | { type: "unenroll"; workflow: string }
  | { type: "notify"; to: PersonSpec; message: string }
  /**
   * Puts the record in the data review queue; `label` (the step's reason as written, before
   * rendering) tells this problem apart from the record's others, so a re-run does not queue it twice.
   */
  | { type: "queue_review"; reason: string; label: string; assignTo?: PersonSpec | undefined }
  /**
   * Merges the run's record into another record of its object (which stays): the best open
   * suspected duplicate pair of the review queue scored at least `minScore`, or the record
   * `recordId` names (rendered; empty = nothing to merge into). Which it is, is found when the
   * command is applied: the step's effect says what was merged, or why nothing was.
   */
  | { type: "merge_records"; into: { bestDuplicate: true; minScore: number } | { recordId: string } }
  | { type: "start_timer"; timerId: string; dueAt: string }
  | { type: "cancel_timer"; timerId: string }
  | { type: "enqueue_external"; key: string; action: ActionSpec }
  | OpenApproval
  /** More people who may decide the pending request's current level alone (its timeout escalates). */
  | { type: "escalate_approval"; requestId: string; to: ApproverSpec[] }
  /** Ends a pending request from the run's side: its timeout decided it, or the run was cancelled. */
  | { type: "close_approval"; requestId: string; status: "approved" | "rejected" | "timed_out" | "cancelled"; outcome: string }
  /** Keeps a `classify` step's prediction with the record (written into the field or not: `applied`). */
  | { type: "record_prediction"; prediction: Extract<PredictionFact, { ok: true }>; field: string; applied: boolean };

/**
 * Opens an approval request (docs/approvals.md): the runtime finds the people, stores the
 * request, locks what is at stake and asks the first level. `requestId` is stable per decision.
 */
export interface OpenApproval {
  type: "open_approval";
  requestId: string;
  /** 1, then one more each time the request is resubmitted after a revision. */
  round: number;
  /** The previous round's request, when this one was resubmitted. */
  previousId: string | null;
  summary: string;
  /** The fields at stake with their values now. */
  stake: Array<{ field: string; value: unknown }>;
  lock: "fields" | "record" | "none";
  /** The route that matched, in words: its label or its condition. */
  route: string;
  levels: Array<{ name: string; require: ApprovalRequire; approvers: ApproverSpec[] }>;
  submitter: PersonSpec;
  dueAt: string | null;
}
