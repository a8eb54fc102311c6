/**
 * The queues, rule sets and teams a definition's `assign_owner` steps and approval steps (their
 * approvers' queues and team leads, escalation included) name. Publishing checks
 * that each exists (and that a rule set assigns the workflow's object), so that a typo or a
 * recipe installed where its queue does not exist is refused with the path, instead of failing
 * every run at the step; deleting a queue or a rule set checks that no live workflow names it.
 */
import type { Issue } from "../../crm/issues.js";
import type { ApproverSpec, WorkflowDefinition } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";
import { RoutingWorld } from "../routing/routing-checks.js";
import { liveUses } from "./live-uses.js";

export type RoutingUseKind = "queue" | "rule_set" | "round_robin_team" | "team_lead";

export interface RoutingUse {
  step: string;
  kind: RoutingUseKind;
  /** The name or id the step names. */
  name: string;
  /** Where in the definition it is named. */
  path: ReadonlyArray<string | number>;
}

/** The queues and teams an approval step's approvers name, with their paths. */
function approverUses(step: string, s: Extract<WorkflowDefinition["steps"][string], { type: "approval" }>): RoutingUse[] {
  const lists: Array<{ at: Array<string | number>; approvers: readonly ApproverSpec[] }> = [
    ...s.routes.flatMap((r, i) =>
      (r.levels ?? []).map((l, j) => ({ at: ["routes", i, "levels", j, "approvers"], approvers: l.approvers })),
    ),
    { at: ["timeout", "escalate_to"], approvers: s.timeout?.escalate_to ?? [] },
  ];
  return lists.flatMap(({ at, approvers }) =>
    approvers.flatMap((a, k): RoutingUse[] => {
      if ("queue" in a) return [{ step, kind: "queue", name: a.queue, path: ["steps", step, ...at, k, "queue"] }];
      if ("team_lead" in a) return [{ step, kind: "team_lead", name: a.team_lead, path: ["steps", step, ...at, k, "team_lead"] }];
      return [];
    }),
  );
}

export function routingUses(def: WorkflowDefinition): RoutingUse[] {
  const uses: RoutingUse[] = [];
  for (const [step, s] of Object.entries(def.steps)) {
    if (s.type === "approval") uses.push(...approverUses(step, s));
    if (s.type !== "action" || s.action.type !== "assign_owner") continue;
    const to = s.action.to;
    const path = (kind: string) => ["steps", step, "action", "to", kind];
    if ("queue" in to) uses.push({ step, kind: "queue", name: to.queue, path: path("queue") });
    else if ("rule_set" in to) uses.push({ step, kind: "rule_set", name: to.rule_set, path: path("rule_set") });
    else if ("round_robin_team" in to)
      uses.push({ step, kind: "round_robin_team", name: to.round_robin_team, path: path("round_robin_team") });
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
    const path = [...use.path];
    if (use.kind === "queue" && !world.queue(use.name)) {
      issues.push({
        path,
        code: "invalid_reference",
        message: `no queue "${use.name}" in this workspace`,
        expected: world.queues.map((q) => q.name),
      });
    } else if ((use.kind === "round_robin_team" || use.kind === "team_lead") && !(await world.team(use.name))) {
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
