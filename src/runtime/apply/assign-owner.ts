/**
 * `assign_owner`: a person spec, the company's owner and a team's round-robin choose here (the
 * target's strategy in crm/assignment, pure, with the reason); a queue or a rule set goes through
 * the router (runtime/routing), which keeps an assignment record with the whole reason. The
 * owner is written as the workflow.
 */
import { type Candidate, chooseOwner, type OwnerTarget } from "../../crm/assignment/index.js";
import type { AssignTarget } from "../../engine/commands.js";
import { resolvePerson, userRecord } from "../people.js";
import { RoutingError, route } from "../routing/router.js";
import { findTeam, rotateTeam } from "../routing/team.js";
import { ApplyError, type ApplyScope, type CommandHandler, type CommandOf, updateRecord } from "./scope.js";

export const assignOwnerHandler: CommandHandler<"assign_owner"> = {
  recordsOnly: true,
  async apply(s, c) {
    const current = s.record.data[c.field];
    const exclude = new Set<string>(c.excludeCurrent && typeof current === "string" ? [current] : []);
    const pinned = s.pinOwner && "step" in s.run.state ? await s.pinOwner(s.run.triggerKey, String(s.run.state.step)) : undefined;
    if (pinned !== undefined) return pinnedChoice(s, c, pinned);
    if ("queue" in c.to || "rule_set" in c.to) return routed(s, c, exclude);
    const choice = "round_robin_team" in c.to ? await teamChoice(s, c.to.round_robin_team, exclude) : await directChoice(s, c.to, exclude);
    if (!choice.ok) throw new ApplyError(choice.why);
    await updateRecord(s, { [c.field]: choice.userId });
    return { command: c.type, field: c.field, user_id: choice.userId, why: choice.why };
  },
};

/** A replay keeps production's decision (held: nobody written, as production held the record). */
async function pinnedChoice(s: ApplyScope, c: CommandOf<"assign_owner">, userId: string | null) {
  if (userId !== null) await updateRecord(s, { [c.field]: userId });
  const why = userId === null ? "held, as in production (replay)" : "the owner production chose (replay: this step did not change)";
  return { command: c.type, field: c.field, user_id: userId, why, ...(userId === null ? { outcome: "held" as const } : {}) };
}

async function teamChoice(s: ApplyScope, idOrName: string, exclude: ReadonlySet<string>) {
  const team = await findTeam(s.tx, s.record.workspaceId, idOrName);
  if (!team) throw new ApplyError(`no team "${idOrName}" to rotate over`);
  return rotateTeam(s.tx, team, exclude);
}

/** A queue or a rule set: the router decides and keeps the reason; a held record has no owner yet. */
async function routed(s: ApplyScope, c: CommandOf<"assign_owner">, exclude: ReadonlySet<string>) {
  const via = "queue" in c.to ? { queue: c.to.queue } : "rule_set" in c.to ? { rule_set: c.to.rule_set } : undefined;
  if (!via) throw new ApplyError("not a routed target");
  try {
    const a = await route({
      tx: s.tx,
      record: s.record,
      field: c.field,
      via,
      exclude,
      source: {
        kind: "workflow",
        run_id: s.run.id,
        workflow_id: s.run.workflowId,
        step: "step" in s.run.state ? String(s.run.state.step) : "",
      },
      now: new Date(s.now),
      newId: () => s.ids.next(),
      keepFailures: false,
      write: async (userId) => {
        await updateRecord(s, { [c.field]: userId });
      },
    });
    return {
      command: c.type,
      field: c.field,
      user_id: a.userId,
      why: a.why,
      assignment_id: a.id,
      outcome: a.outcome === "held" ? ("held" as const) : ("assigned" as const),
    };
  } catch (error) {
    if (error instanceof RoutingError) throw new ApplyError(error.message);
    throw error;
  }
}

/** A named person or the company's owner. */
async function directChoice(
  s: ApplyScope,
  to: Exclude<AssignTarget, { round_robin_team: string } | { queue: string } | { rule_set: string }>,
  exclude: ReadonlySet<string>,
) {
  const { tx, record } = s;
  const ws = record.workspaceId;
  let target: OwnerTarget;
  let candidates: Candidate[];
  if ("company_owner" in to) {
    const company = typeof record.data.company_id === "string" ? await tx.records.getRecord(ws, record.data.company_id) : undefined;
    const owner = await userRecord(tx, ws, company?.data.owner_id);
    target = { strategy: "company_owner", company: company ? String(company.data.name) : undefined };
    candidates = owner ? [{ id: owner.id, name: String(owner.data.name), active: owner.data.active !== false }] : [];
  } else {
    const person = await resolvePerson(tx, record, to, s.now);
    target = { strategy: "person", spec: JSON.stringify(to) };
    candidates = person ? [{ id: person.userId, name: person.userId, active: true, found: person.why }] : [];
  }
  return chooseOwner({ target, candidates, rotation: undefined, exclude });
}
