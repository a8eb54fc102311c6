/**
 * `assign_owner`: loads the target's candidates (a team's members and its rotation, the named
 * person, the company's owner), lets the target's strategy choose (crm/assignment: pure, with
 * the reason), then writes the rotation's new state and the owner field.
 */
import { type Candidate, chooseOwner, type OwnerTarget, type RotationState } from "../../crm/assignment/index.js";
import type { AssignTarget } from "../../engine/commands.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import { resolvePerson, userRecord } from "../people.js";
import { ApplyError, type ApplyScope, type CommandHandler, updateRecord } from "./scope.js";

export const assignOwnerHandler: CommandHandler<"assign_owner"> = {
  recordsOnly: true,
  async apply(s, c) {
    const current = s.record.data[c.field];
    const exclude = new Set<string>(c.excludeCurrent && typeof current === "string" ? [current] : []);
    const loaded = await candidatesFor(s, c.to);
    const choice = chooseOwner({ target: loaded.target, candidates: loaded.candidates, rotation: loaded.rotation, exclude });
    if (!choice.ok) throw new ApplyError(choice.why);
    if (loaded.rotationKey !== undefined && choice.rotation !== undefined)
      await s.tx.rotations.setRotation(s.record.workspaceId, loaded.rotationKey, choice.rotation);
    await updateRecord(s, { [c.field]: choice.userId });
    return { command: c.type, field: c.field, user_id: choice.userId, why: choice.why };
  },
};

interface Loaded {
  target: OwnerTarget;
  candidates: readonly Candidate[];
  rotation: RotationState;
  /** Where the rotation's state is kept, for targets that rotate. */
  rotationKey?: string;
}

/** What the target's strategy chooses from, read in the step's transaction. */
async function candidatesFor(s: ApplyScope, to: AssignTarget): Promise<Loaded> {
  const { tx, record } = s;
  const ws = record.workspaceId;
  if ("round_robin_team" in to) {
    const team = await findTeam(tx, ws, to.round_robin_team);
    if (!team) throw new ApplyError(`no team "${to.round_robin_team}" to rotate over`);
    const members = await tx.records.queryRecords({
      workspaceId: ws,
      object: "user",
      filter: { field: { name: "team_id", type: "reference", label: "team" }, op: "eq", value: team.id },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 1_000,
    });
    const rotationKey = `team:${team.id}`;
    return {
      target: { strategy: "round_robin", pool: `team ${team.data.name}` },
      candidates: members.map((m) => ({
        id: m.id,
        name: String(m.data.name),
        active: m.data.active !== false && m.data.role !== "manager",
      })),
      rotation: await tx.rotations.getRotation(ws, rotationKey),
      rotationKey,
    };
  }
  if ("company_owner" in to) {
    const company = typeof record.data.company_id === "string" ? await tx.records.getRecord(ws, record.data.company_id) : undefined;
    const owner = await userRecord(tx, ws, company?.data.owner_id);
    return {
      target: { strategy: "company_owner", company: company ? String(company.data.name) : undefined },
      candidates: owner ? [{ id: owner.id, name: String(owner.data.name), active: owner.data.active !== false }] : [],
      rotation: undefined,
    };
  }
  const person = await resolvePerson(tx, record, to);
  return {
    target: { strategy: "person", spec: JSON.stringify(to) },
    candidates: person ? [{ id: person.userId, name: person.userId, active: true, found: person.why }] : [],
    rotation: undefined,
  };
}

async function findTeam(tx: StoreTx, workspaceId: string, idOrName: string): Promise<StoredRecord | undefined> {
  const byId = await tx.records.getRecord(workspaceId, idOrName);
  if (byId?.object === "team") return byId;
  const [byName] = await tx.records.queryRecords({
    workspaceId,
    object: "team",
    filter: { field: { name: "name", type: "string", label: "name" }, op: "eq", value: idOrName },
    sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
    limit: 1,
  });
  return byName;
}
