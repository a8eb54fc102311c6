/**
 * The SLA policy a definition's `sla` trigger names (docs/sla.md, "Milestones as events").
 * Publishing checks that the policy exists and measures the workflow's object, so that a typo is
 * refused at `trigger.policy` instead of a workflow that never runs; a policy that a live
 * workflow's trigger names cannot be deleted or renamed (the trigger index files the workflow
 * under the policy's name).
 */
import type { Issue } from "../../crm/issues.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";
import { liveUses } from "./live-uses.js";

export async function missingSlaPolicy(reads: StoreReads, workspaceId: string, def: WorkflowDefinition): Promise<Issue[]> {
  if (def.trigger.type !== "sla") return [];
  const name = def.trigger.policy;
  const all = await reads.sla.listSlaPolicies(workspaceId);
  const policy = all.find((p) => p.definition.name === name);
  const path = ["trigger", "policy"];
  if (!policy) {
    const expected = all.filter((p) => p.definition.object === def.object).map((p) => p.definition.name);
    return [{ path, code: "invalid_reference", message: `no SLA policy "${name}" in this workspace`, expected }];
  }
  if (policy.definition.object !== def.object)
    return [
      {
        path,
        code: "invalid_reference",
        message: `SLA policy "${name}" measures ${policy.definition.object} records; this workflow runs on ${def.object}`,
      },
    ];
  return [];
}

/** "workflow ticket-breach (trigger)" for each live workflow (or version with runs under way) whose trigger names the policy. */
export async function workflowsNamingSlaPolicy(
  reads: Pick<StoreReads, "workflows" | "runs">,
  workspaceId: string,
  policyName: string,
): Promise<string[]> {
  const users = await liveUses(reads, workspaceId, (def) =>
    def.trigger.type === "sla" && def.trigger.policy === policyName ? ["trigger"] : [],
  );
  return users.map((u) => `workflow ${u}`);
}
