/**
 * Which workflows would still use something a person is about to delete (a connector, a queue, a
 * rule set): "workflow-key (steps a, b)" for every live version whose steps name it, and
 * "workflow-key v2, runs under way (step a)" for an older version whose runs may still reach it.
 */
import { type WorkflowDefinition, workflowSchema } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";

/** `stepsOf` returns the steps of one definition that use the thing ("trigger": its trigger). */
export async function liveUses(
  reads: Pick<StoreReads, "workflows" | "runs">,
  workspaceId: string,
  stepsOf: (def: WorkflowDefinition) => string[],
): Promise<string[]> {
  const workflows = new Map((await reads.workflows.listWorkflows(workspaceId)).map((w) => [w.id, w]));
  const versions: Array<{ workflowId: string; version: number; live: boolean }> = [];
  for (const w of workflows.values()) if (w.liveVersion !== null) versions.push({ workflowId: w.id, version: w.liveVersion, live: true });
  for (const v of await reads.runs.versionsUnderWay(workspaceId))
    if (workflows.get(v.workflowId)?.liveVersion !== v.version) versions.push({ ...v, live: false });
  const users: string[] = [];
  for (const v of versions) {
    const row = await reads.workflows.getVersion(workspaceId, v.workflowId, v.version);
    const parsed = workflowSchema.safeParse(row?.definition);
    if (!parsed.success) continue;
    const steps = stepsOf(parsed.data as WorkflowDefinition);
    if (steps.length === 0) continue;
    const name = workflows.get(v.workflowId)?.key ?? v.workflowId;
    const named = steps.filter((s) => s !== "trigger");
    const where = [
      ...(steps.includes("trigger") ? ["trigger"] : []),
      ...(named.length > 0 ? [`step${named.length > 1 ? "s" : ""} ${named.join(", ")}`] : []),
    ].join(", ");
    users.push(v.live ? `${name} (${where})` : `${name} v${v.version}, runs under way (${where})`);
  }
  return users;
}
