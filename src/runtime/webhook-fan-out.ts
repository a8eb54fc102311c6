/**
 * Turns committed events and logged steps into webhook outbox items, in the transaction that
 * handles them (the matcher's tick, the executor's step), so an item exists exactly when its
 * cause committed. `enqueue` is the outbox's insert (`tx.insertOutboxItems`), handed in by the
 * composition root; the item keys (`<subscription>:<event>`, `<subscription>:<run>:<seq>`) make
 * a second insert of the same item a no-op.
 */
import type { IdGenerator } from "../app/ports.js";
import { webhookItemsFor, webhookItemsForStep, webhookTypeOf } from "../app/webhooks/fan-out.js";
import type { OutboxItem } from "../connectors/contract.js";
import type { StoreTx } from "../store/ports.js";
import type { StepHook } from "./executor.js";
import type { EventHook } from "./matcher.js";

export type Enqueue = (tx: StoreTx, items: OutboxItem[]) => Promise<unknown>;

/** For Matcher.eventHooks: record events → items for the subscriptions that match. */
export function webhookEventHook(ids: IdGenerator, enqueue: Enqueue): EventHook {
  return async (tx, event, record) => {
    if (!webhookTypeOf(event)) return;
    // Memoized per transaction: a tick reads a workspace's subscriptions once.
    const subs = await tx.subscriptions.listWebhookSubscriptions(event.workspaceId);
    if (subs.length === 0) return;
    const items = webhookItemsFor(event, subs, ids, record);
    if (items.length > 0) await enqueue(tx, items);
  };
}

/** For Executor.stepHooks: a logged step → items for subscriptions naming `workflow.step:<key>/<step>`. */
export function webhookStepHook(ids: IdGenerator, enqueue: Enqueue): StepHook {
  return async (tx, run, step) => {
    const subs = await tx.subscriptions.listWebhookSubscriptions(run.workspaceId);
    if (!subs.some((s) => s.active && s.events.some((p) => p.startsWith("workflow.step:")))) return;
    const workflow = await tx.workflows.getWorkflow(run.workspaceId, run.workflowId);
    if (!workflow) return;
    const items = webhookItemsForStep(
      {
        workspaceId: run.workspaceId,
        workflowId: run.workflowId,
        workflowKey: workflow.key,
        runId: run.id,
        recordId: run.recordId,
        seq: step.seq,
        step: step.step,
        outcome: step.outcome,
        why: step.why,
        at: step.at,
      },
      subs,
      ids,
    );
    if (items.length > 0) await enqueue(tx, items);
  };
}
