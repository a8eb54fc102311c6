/**
 * Applies an engine decision's commands inside the step's transaction, as the workflow's
 * identity, each through its handler (one file per command). Record writes go through the
 * RecordWriter (validated, audited, evented like any other write, caused by the run). Returns
 * what was done, for the execution log. To add a command: its variant in engine/commands.ts, its
 * handler here, and one registry line — leaving the line out is a compile error.
 */
import type { Command } from "../../engine/commands.js";
import { assignOwnerHandler } from "./assign-owner.js";
import { cancelTimerHandler } from "./cancel-timer.js";
import { changeScoreHandler } from "./change-score.js";
import { closeApprovalHandler } from "./close-approval.js";
import { createRecordHandler } from "./create-record.js";
import { enqueueExternalHandler } from "./enqueue-external.js";
import { enrollHandler } from "./enroll.js";
import { escalateApprovalHandler } from "./escalate-approval.js";
import { mergeRecordsHandler } from "./merge-records.js";
import { notifyHandler } from "./notify.js";
import { openApprovalHandler } from "./open-approval.js";
import { queueReviewHandler } from "./queue-review.js";
import { recordPredictionHandler } from "./record-prediction.js";
import { type ApplyContext, ApplyError, type ApplyScope, type CommandHandler, type Effect, type RecordlessScope } from "./scope.js";
import { startTimerHandler } from "./start-timer.js";
import { unenrollHandler } from "./unenroll.js";
import { updateRecordHandler } from "./update-record.js";

export { type ApplyContext, ApplyError, type CommandHandler, type Effect, type MergePort, type RecordlessScope } from "./scope.js";

export const COMMAND_HANDLERS: { readonly [C in Command["type"]]: CommandHandler<C> } = {
  update_record: updateRecordHandler,
  create_record: createRecordHandler,
  assign_owner: assignOwnerHandler,
  change_score: changeScoreHandler,
  enroll: enrollHandler,
  unenroll: unenrollHandler,
  notify: notifyHandler,
  queue_review: queueReviewHandler,
  merge_records: mergeRecordsHandler,
  start_timer: startTimerHandler,
  cancel_timer: cancelTimerHandler,
  enqueue_external: enqueueExternalHandler,
  open_approval: openApprovalHandler,
  escalate_approval: escalateApprovalHandler,
  close_approval: closeApprovalHandler,
  record_prediction: recordPredictionHandler,
};

/** Commands that touch records (and notifications, rotations) only: never runs, steps or work items. */
export const RECORDS_ONLY: ReadonlySet<Command["type"]> = new Set(
  (Object.keys(COMMAND_HANDLERS) as Command["type"][]).filter((type) => COMMAND_HANDLERS[type].recordsOnly),
);

export async function applyCommands(a: ApplyContext, commands: readonly Command[]): Promise<Effect[]> {
  const effects: Effect[] = [];
  if (commands.length === 0) return effects;
  // The step's own copy: each write of the record replaces `record`, so later commands see it.
  const s: ApplyScope = { ...a };
  for (const c of commands) {
    // The entry under c.type handles c; TypeScript does not correlate a key with its value.
    const handler = COMMAND_HANDLERS[c.type] as CommandHandler<Command["type"]> | undefined;
    if (!handler) throw new ApplyError(`no handler for command "${(c as { type: unknown }).type}"`);
    effects.push(await handler.apply(s, c));
  }
  return effects;
}

/**
 * Applies commands when the run has no record to hand (it was deleted, or the run failed): only
 * those whose handler needs none — a cancelled or failed run's timer and approval request. Any
 * other is a decision that cannot be carried out without its record: the step fails, naming it.
 */
export async function applyWithoutRecord(a: RecordlessScope, commands: readonly Command[]): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const c of commands) {
    const handler = COMMAND_HANDLERS[c.type] as CommandHandler<Command["type"]> | undefined;
    if (!handler?.applyWithoutRecord) throw new ApplyError(`${c.type} needs the run's record, which is gone`);
    effects.push(await handler.applyWithoutRecord(a, c));
  }
  return effects;
}
