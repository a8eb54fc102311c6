/**
 * `enqueue_external`: an external action (email, HTTP call, chat message) rendered now, over the
 * record as this step sees it, and put on the outbox within the workflow's hourly quota; the
 * dispatcher delivers it later and its outcome comes back as an `action_result`. Nothing to send
 * (no address, a template that fails on this record's values, the quota used up) fails the
 * action at once, as if delivery had: the run takes its on_failure path, or fails with the reason.
 */
import type { EmailPayload } from "../../connectors/contract.js";
import { type BuiltOutboxPayload, buildOutboxPayload, loadOutboxView, quotaOf } from "../outbox-payloads.js";
import type { ApplyScope, CommandHandler, CommandOf, Effect } from "./scope.js";

export const enqueueExternalHandler: CommandHandler<"enqueue_external"> = {
  recordsOnly: false,
  async apply(s, c) {
    const { tx, run, record, now } = s;
    const ws = record.workspaceId;
    let built: BuiltOutboxPayload;
    try {
      built = buildOutboxPayload(c.action, await loadOutboxView(tx, record, c.action, now), c.key);
    } catch (error) {
      // No address, a template that fails on this record's values.
      return failed(s, c, `${c.action.type} could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
    }
    const quota = quotaOf(c.action, s.limits);
    const window = hourOf(now);
    const use = await tx.quotas.takeQuota(ws, run.workflowId, quota.name, window, quota.limit);
    if (!use.taken) {
      const reason = `${c.action.type} not sent: this workflow's quota of ${quota.limit} ${quota.noun} per hour is used up (the hour from ${window})`;
      await tx.workflows.appendWorkflowLog([
        { workspaceId: ws, workflowId: run.workflowId, recordId: record.id, eventId: null, kind: "suppressed", message: reason, at: now },
      ]);
      return failed(s, c, reason);
    }
    const id = s.ids.next();
    // An email to the record's own address may carry the open pixel and tracked links (the
    // workspace's switch); emails to people of the workspace never do.
    const tracked =
      s.trackEmail && built.kind === "email" && c.action.type === "send_email" && "record_email" in c.action.to
        ? await s.trackEmail.prepare(tx, {
            workspaceId: ws,
            messageId: id,
            recordId: record.id,
            runId: run.id,
            payload: built.payload as EmailPayload,
            at: now,
          })
        : undefined;
    const inserted = await tx.outbox.insertOutboxItems([
      {
        workspaceId: ws,
        id,
        key: c.key,
        kind: built.kind,
        connector: built.connector,
        subscriptionId: null,
        runId: run.id,
        recordId: record.id,
        payload: tracked?.payload ?? built.payload,
        nextAttemptAt: now,
      },
    ]);
    if (inserted && tracked?.message) await tx.emailTracking.insertTrackedMessage(tracked.message);
    return { command: c.type, outbox_id: inserted ? id : null, key: c.key, kind: built.kind, connector: built.connector };
  },
};

/** Nothing to send: the action's result, a failure with the reason, is due at once. */
async function failed(s: ApplyScope, c: CommandOf<"enqueue_external">, reason: string): Promise<Extract<Effect, { error: string }>> {
  await s.tx.work.insertWorkItems([
    {
      workspaceId: s.record.workspaceId,
      runId: s.run.id,
      input: { kind: "action_result", key: c.key, ok: false, error: reason },
      timerId: null,
      dueAt: s.now,
    },
  ]);
  return { command: c.type, key: c.key, error: reason };
}

/** The start of the clock hour (UTC) of an ISO-8601 UTC instant. */
function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}
