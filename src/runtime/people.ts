/**
 * Who a person spec of a workflow leads to (a user by id, the user in a field of the record, their
 * manager, their team's lead, who is on call in their team at the step's instant), loaded in the
 * step's transaction, with how they were found. Used
 * by the commands that name people (assign, notify, a task's owner) and by the outbox view (an
 * email's recipient).
 */
import { assertNever } from "../crm/never.js";
import { type OnCallRotation, onCallAt } from "../crm/on-call.js";
import type { PersonSpec } from "../engine/definition.js";
import type { StoredRecord, StoreTx } from "../store/ports.js";

/** The user with this id, when it is one. */
export async function userRecord(tx: StoreTx, workspaceId: string, id: unknown): Promise<StoredRecord | undefined> {
  if (typeof id !== "string") return undefined;
  const r = await tx.records.getRecord(workspaceId, id);
  return r?.object === "user" ? r : undefined;
}

/** Resolves a person spec against the record; undefined when it leads nowhere. */
export async function resolvePerson(
  tx: StoreTx,
  record: StoredRecord,
  spec: PersonSpec,
  /** The instant it is asked at (who is on call depends on it). */
  at: string,
): Promise<{ userId: string; why: string } | undefined> {
  const ws = record.workspaceId;
  if ("user_id" in spec)
    return (await userRecord(tx, ws, spec.user_id)) ? { userId: spec.user_id, why: `user ${spec.user_id}` } : undefined;
  if ("field" in spec) {
    const u = await userRecord(tx, ws, record.data[spec.field]);
    return u ? { userId: u.id, why: `the record's ${spec.field} (${u.data.name})` } : undefined;
  }
  if ("manager_of" in spec) {
    const u = await userRecord(tx, ws, record.data[spec.manager_of]);
    const m = await userRecord(tx, ws, u?.data.manager_id);
    return m && u ? { userId: m.id, why: `${m.data.name}, manager of ${u.data.name}` } : undefined;
  }
  if ("team_lead_of" in spec) {
    const u = await userRecord(tx, ws, record.data[spec.team_lead_of]);
    const team = typeof u?.data.team_id === "string" ? await tx.records.getRecord(ws, u.data.team_id) : undefined;
    const lead = await userRecord(tx, ws, team?.data.lead_id);
    return lead && team && u ? { userId: lead.id, why: `${lead.data.name}, lead of ${u.data.name}'s team ${team.data.name}` } : undefined;
  }
  if ("on_call_of" in spec) {
    const u = await userRecord(tx, ws, record.data[spec.on_call_of]);
    const team = typeof u?.data.team_id === "string" ? await tx.records.getRecord(ws, u.data.team_id) : undefined;
    const rotation = team?.data.on_call as OnCallRotation | undefined;
    const zone = typeof team?.data.time_zone === "string" ? team.data.time_zone : "UTC";
    const shift = rotation ? onCallAt(rotation, zone, Date.parse(at)) : undefined;
    const person = await userRecord(tx, ws, shift?.userId);
    return person && team && u && shift
      ? {
          userId: person.id,
          why: `${person.data.name}, on call for ${u.data.name}'s team ${team.data.name} until ${new Date(shift.until).toISOString()}`,
        }
      : undefined;
  }
  return assertNever(spec, "person spec");
}
