/**
 * Conflict warnings at publish (issue 19, item 4; docs/testing-workflows.md "Conflicts"): the
 * draft beside the live versions of the workspace's other workflows (engine/conflicts), and the
 * rule of their acknowledgement — publishing with warnings needs `acknowledge_conflicts`: true
 * (whatever they are now) or the list of their ids, which must be exactly the current ones (a
 * list acknowledged before a workflow changed is stale and refused).
 */
import type { Issue } from "../../crm/issues.js";
import { type ConflictWarning, findConflicts } from "../../engine/conflicts/find.js";
import { type WorkflowDefinition, workflowSchema } from "../../engine/definition.js";
import type { WorkflowPort } from "../../store/workflow-ports.js";
import { AppError } from "../errors.js";

/** What a publish may say of the warnings: all of them as they are now, or these by id. */
export type ConflictAcknowledgementInput = true | readonly string[];

/** The warnings of publishing `def` as the live version of `workflowId` (its own key's live version is the one it replaces). */
export async function publishConflicts(
  workflows: Pick<WorkflowPort, "listWorkflows" | "getVersion">,
  workspaceId: string,
  workflowId: string | undefined,
  def: WorkflowDefinition,
): Promise<ConflictWarning[]> {
  const live: WorkflowDefinition[] = [];
  for (const w of await workflows.listWorkflows(workspaceId)) {
    if (w.id === workflowId || w.key === def.key || w.liveVersion === null) continue;
    const parsed = workflowSchema.safeParse((await workflows.getVersion(workspaceId, w.id, w.liveVersion))?.definition);
    // Another workflow's key is its own, whatever its stored definition says.
    if (parsed.success) live.push({ ...parsed.data, key: w.key, name: w.name });
  }
  return findConflicts([...live, def], def.key);
}

/**
 * The warnings this publish acknowledges; refuses (409, each warning with its id as the allowed
 * values) when there are warnings and the acknowledgement is missing or names other ones.
 */
export function acknowledged(
  key: string,
  warnings: readonly ConflictWarning[],
  ack: ConflictAcknowledgementInput | undefined,
): ConflictWarning[] {
  if (warnings.length === 0) return [];
  const ids = warnings.map((w) => w.id);
  if (ack === true) return [...warnings];
  const given = new Set(ack ?? []);
  if (ack && given.size === ids.length && ids.every((id) => given.has(id))) return [...warnings];
  const stale = ack !== undefined && ack.length > 0;
  const issues: Issue[] = warnings.map((w) => ({
    path: ["acknowledge_conflicts"],
    code: "invalid_value",
    message: `${w.id}: ${w.message}`,
    expected: ids,
  }));
  const what = stale
    ? `the acknowledged conflicts of ${key} are not the current ones (${[...given].join(", ")}); acknowledge these`
    : `publishing ${key} needs its conflicts acknowledged`;
  throw new AppError("conflict", `${what}: ${warnings.map((w) => w.message).join(" ")}`, issues);
}
