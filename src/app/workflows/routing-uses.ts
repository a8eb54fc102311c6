/**
 * The queues, rule sets and teams a definition's `assign_owner` steps name. Publishing checks
 * that each exists (and that a rule set assigns the workflow's object), so that a typo or a
 * recipe installed where its queue does not exist is refused with the path, instead of failing
 * every run at the step; deleting a queue or a rule set checks that no live workflow names it.
 */
import type { Issue } from "../../crm/issues.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";
import { RoutingWorld } from "../routing/routing-checks.js";
import { liveUses } from "./live-uses.js";

export type RoutingUseKind = "queue" | "rule_set" | "round_robin_team";

export interface RoutingUse {
  step: string;
  kind: RoutingUseKind;
  /** The name or id the step names. */
  name: string;
}

export function routingUses(def: WorkflowDefinition): RoutingUse[] {
  const uses: RoutingUse[] = [];
  for (const [step, s] of Object.entries(def.steps)) {
    if (s.type !== "action" || s.action.type !== "assign_owner") continue;
    const to = s.action.to;
    if ("queue" in to) uses.push({ step, kind: "queue", name: to.queue });
    else if ("rule_set" in to) uses.push({ step, kind: "rule_set", name: to.rule_set });
    else if ("round_robin_team" in to) uses.push({ step, kind: "round_robin_team", name: to.round_robin_team });
  }
  return uses;
}

/** Each named queue, rule set and team that the workspace does not have, by the path that names it. */
export async function missingRoutingTargets(reads: StoreReads, workspaceId: string, def: WorkflowDefinition): Promise<Issue[]> {
  const uses = routingUses(def);
  if (uses.length === 0) return [];
  const world = await RoutingWorld.load(reads, workspaceId);
  const issues: Issue[] = [];
  for (const use of uses) {
    const path = ["steps", use.step, "action", "to", use.kind];
    if (use.kind === "queue" && !world.queue(use.name)) {
      issues.push({
        path,
        code: "invalid_reference",
        message: `no queue "${use.name}" in this workspace`,
        expected: world.queues.map((q) => q.name),
      });
    } else if (use.kind === "round_robin_team" && !(await world.team(use.name))) {
      issues.push({ path, code: "invalid_reference", message: `no team "${use.name}" in this workspace` });
    } else if (use.kind === "rule_set") {
      const set = await reads.routing.getRuleSet(workspaceId, use.name);
      if (!set) {
        const names = (await reads.routing.listRuleSets(workspaceId)).filter((r) => r.object === def.object).map((r) => r.name);
        issues.push({ path, code: "invalid_reference", message: `no rule set "${use.name}" in this workspace`, expected: names });
      } else if (set.object !== def.object) {
        issues.push({
          path,
          code: "invalid_reference",
          message: `rule set "${set.name}" assigns ${set.object} records; this workflow runs on ${def.object}`,
        });
      }
    }
  }
  return issues;
}

/** Whether a use names this row (by its id, or by its name as recipes do). */
const names = (use: RoutingUse, row: { id: string; name: string }): boolean => use.name === row.id || use.name === row.name;

/** "workflow-key (step assign)" for each live workflow (or version with runs under way) naming the queue or rule set. */
export function workflowsNaming(
  reads: Pick<StoreReads, "workflows" | "runs">,
  workspaceId: string,
  kind: "queue" | "rule_set",
  row: { id: string; name: string },
): Promise<string[]> {
  return liveUses(reads, workspaceId, (def) =>
    routingUses(def)
      .filter((u) => u.kind === kind && names(u, row))
      .map((u) => u.step),
  ).then((users) => users.map((u) => `workflow ${u}`));
}
