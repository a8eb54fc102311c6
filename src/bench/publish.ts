/**
 * Publishes a benchmark's workflow set: each draft saved through the workflow service, then all
 * of them made live in one transaction through the same store ports and with the same rows as
 * `WorkflowService.publish` — the version published since the log's last position, its trigger
 * index row, the workflow's live version — without publish's conflict check. That check compares
 * the draft with every live workflow of the workspace (reads, parses, and pairs them all: see
 * engine/conflicts/find.ts), so publishing 1,000 workflows one by one grows with the square of
 * the set — 189 of the engine benchmark's 1,000 in 8 minutes, on this machine. The check, the
 * review row and the schedule of time-based triggers are not what the engine benchmark measures;
 * a set with a time-based trigger is refused here rather than published without its schedule.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { WorkflowDefinition, WorkflowInput } from "../engine/definition.js";
import { triggerKind } from "../engine/triggers/index.js";
import type { Store } from "../store/ports.js";

/** Returns the published workflows' ids by key, with their live version. */
export async function publishSet(
  services: Services,
  store: Store,
  admin: CallContext,
  defs: readonly WorkflowInput[],
): Promise<Map<string, { id: string; version: number }>> {
  const saved: Array<{ id: string; key: string }> = [];
  for (const def of defs) {
    const view = await services.workflows.saveDraft(admin, def);
    saved.push({ id: view.workflow.id, key: def.key });
  }
  const out = new Map<string, { id: string; version: number }>();
  const now = new Date().toISOString();
  await store.transaction(async (tx) => {
    const since = await tx.events.lastEventPosition();
    for (const { id, key } of saved) {
      const workflow = await tx.workflows.getWorkflow(admin.workspaceId, id);
      if (!workflow) throw new Error(`the saved workflow ${key} is gone`);
      const draft = await tx.workflows.getVersion(admin.workspaceId, id, workflow.latestVersion);
      if (draft?.state !== "draft") throw new Error(`${key} has no draft to publish`);
      const def = draft.definition as WorkflowDefinition;
      const trigger = def.trigger;
      if (
        trigger.type !== "manual" &&
        trigger.type !== "record_created" &&
        trigger.type !== "record_updated" &&
        trigger.type !== "field_changed" &&
        trigger.type !== "score_threshold"
      )
        throw new Error(`${key}: a ${trigger.type} trigger needs publish's schedule; publish it through the workflow service`);
      // What publish's indexKind does (workflow-service.ts).
      const kind = triggerKind(trigger).indexKey(trigger);
      await tx.workflows.upsertVersion({
        ...draft,
        state: "published",
        publishedAt: now,
        sincePosition: since,
        publishedBy: admin.actor,
        note: null,
        conflictsAcknowledged: null,
      });
      await tx.triggers.replaceTriggers(
        admin.workspaceId,
        id,
        kind
          ? [{ workspaceId: admin.workspaceId, workflowId: id, object: def.object, kind, version: draft.version, sincePosition: since }]
          : [],
      );
      await tx.workflows.updateWorkflow({ ...workflow, liveVersion: draft.version, updatedAt: now, updatedBy: admin.actor });
      out.set(key, { id, version: draft.version });
    }
  });
  return out;
}
