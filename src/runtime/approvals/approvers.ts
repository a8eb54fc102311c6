/**
 * Who an approval step's approver specs lead to, loaded in the step's transaction: a user, the
 * manager or team lead of the user in a field, a team's lead, every active user of a role, a
 * queue's members — each with how they were found and, when they are on PTO now, their delegate.
 * The rules (no self-approval, delegation, how many are needed) are the pure request machine's.
 */
import { ptoEnd } from "../../crm/assignment/availability.js";
import { assertNever } from "../../crm/never.js";
import type { Candidate } from "../../engine/approval/request.js";
import type { ApproverSpec } from "../../engine/definition.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import { resolvePerson, userRecord } from "../people.js";
import { findTeam } from "../routing/team.js";

const byId = { name: "id", type: "string", label: "id" } as const;
const MAX_GROUP = 200;

function periods(v: unknown): Array<{ start: string; end: string }> {
  if (!Array.isArray(v)) return [];
  return v.filter((p): p is { start: string; end: string } => typeof p?.start === "string" && typeof p?.end === "string");
}

/** A user record as a candidate: away (with their delegate) when on PTO at `at`. */
async function candidate(tx: StoreTx, user: StoredRecord, why: string, at: string): Promise<Candidate> {
  const until = ptoEnd(periods(user.data.pto), Date.parse(at));
  if (until === undefined) return { userId: user.id, name: String(user.data.name), why };
  const delegate = await userRecord(tx, user.workspaceId, user.data.delegate_id);
  return {
    userId: user.id,
    name: String(user.data.name),
    why,
    away: {
      until: new Date(until).toISOString(),
      delegateId: delegate && delegate.data.active !== false ? delegate.id : null,
      delegateName: delegate ? String(delegate.data.name) : null,
    },
  };
}

/** The people one approver spec leads to now (none when it leads nowhere: no manager, an empty role). */
export async function resolveApprover(tx: StoreTx, record: StoredRecord, spec: ApproverSpec, at: string): Promise<Candidate[]> {
  const ws = record.workspaceId;
  const one = async (userId: string | undefined, why: string) => {
    const u = await userRecord(tx, ws, userId);
    return u && u.data.active !== false ? [await candidate(tx, u, why, at)] : [];
  };
  if ("user_id" in spec) return one(spec.user_id, "named by the step");
  if ("manager_of" in spec || "team_lead_of" in spec) {
    const found = await resolvePerson(tx, record, spec, at);
    return found ? one(found.userId, found.why) : [];
  }
  if ("team_lead" in spec) {
    const team = await findTeam(tx, ws, spec.team_lead);
    return team ? one(typeof team.data.lead_id === "string" ? team.data.lead_id : undefined, `lead of team ${team.data.name}`) : [];
  }
  if ("role" in spec) {
    const users = await tx.records.queryRecords({
      workspaceId: ws,
      object: "user",
      filter: { field: { name: "role", type: "string", label: "role" }, op: "eq", value: spec.role },
      sort: { field: byId, direction: "asc" },
      limit: MAX_GROUP,
    });
    const active = users.filter((u) => u.data.active !== false);
    return Promise.all(active.map((u) => candidate(tx, u, `role ${spec.role}`, at)));
  }
  if ("queue" in spec) {
    const queue = await tx.routing.getQueue(ws, spec.queue);
    if (!queue) return [];
    const users = await tx.records.getRecords(
      ws,
      queue.members.map((m) => m.user_id),
    );
    const active = users.filter((u) => u.object === "user" && u.data.active !== false);
    return Promise.all(active.map((u) => candidate(tx, u, `member of queue ${queue.name}`, at)));
  }
  return assertNever(spec, "approver spec");
}

/** Every spec of a level, in order. */
export async function resolveApprovers(
  tx: StoreTx,
  record: StoredRecord,
  specs: readonly ApproverSpec[],
  at: string,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const spec of specs) out.push(...(await resolveApprover(tx, record, spec, at)));
  return out;
}
