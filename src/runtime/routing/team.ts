/**
 * A team as an owner target: its members (managers excluded: they oversee, they do not take the
 * work) rotated in a stable order, the rotation kept per team. Used by `assign_owner` with
 * `round_robin_team` and by rule sets whose target is a team.
 */
import { type Candidate, chooseOwner, type OwnerChoice } from "../../crm/assignment/index.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";

const byName = { name: "name", type: "string", label: "name" } as const;
const byId = { name: "id", type: "string", label: "id" } as const;

export async function findTeam(tx: StoreTx, workspaceId: string, idOrName: string): Promise<StoredRecord | undefined> {
  const found = await tx.records.getRecord(workspaceId, idOrName);
  if (found?.object === "team") return found;
  const [named] = await tx.records.queryRecords({
    workspaceId,
    object: "team",
    filter: { field: byName, op: "eq", value: idOrName },
    sort: { field: byId, direction: "asc" },
    limit: 1,
  });
  return named;
}

/** Chooses the team's next member and stores the rotation; `{ ok: false }` says why nobody. */
export async function rotateTeam(tx: StoreTx, team: StoredRecord, exclude: ReadonlySet<string>): Promise<OwnerChoice> {
  const ws = team.workspaceId;
  const members = await tx.records.queryRecords({
    workspaceId: ws,
    object: "user",
    filter: { field: { name: "team_id", type: "reference", label: "team" }, op: "eq", value: team.id },
    sort: { field: byId, direction: "asc" },
    limit: 1_000,
  });
  const candidates: Candidate[] = members.map((m) => ({
    id: m.id,
    name: String(m.data.name),
    active: m.data.active !== false && m.data.role !== "manager",
  }));
  const rotationKey = `team:${team.id}`;
  // Two workers rotating the same team take turns (SQLite: its single writer already does).
  await tx.lockKey(`rotation:${ws}:${rotationKey}`);
  const choice = chooseOwner({
    target: { strategy: "round_robin", pool: `team ${team.data.name}` },
    candidates,
    rotation: await tx.rotations.getRotation(ws, rotationKey),
    exclude,
  });
  if (choice.ok && choice.rotation !== undefined) await tx.rotations.setRotation(ws, rotationKey, choice.rotation);
  return choice;
}
