/**
 * Loads what an email is rendered from (the IO half of buildEmailPayload): the record's owner,
 * its company, and the user a person-spec `to` leads to — resolved the way every other action
 * resolves people (runtime/apply.ts resolvePerson), in the step's transaction.
 */
import { resolvePerson } from "../../runtime/apply.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import type { EmailView, SendEmailAction } from "./email-payload.js";

async function userOf(tx: StoreTx, workspaceId: string, id: unknown): Promise<StoredRecord | undefined> {
  if (typeof id !== "string") return undefined;
  const r = await tx.getRecord(workspaceId, id);
  return r?.object === "user" ? r : undefined;
}

export async function loadEmailView(tx: StoreTx, record: StoredRecord, action: SendEmailAction): Promise<EmailView> {
  const ws = record.workspaceId;
  const owner = await userOf(tx, ws, record.data.owner_id);
  const companyId = record.object === "company" ? undefined : record.data.company_id;
  const company = typeof companyId === "string" ? await tx.getRecord(ws, companyId) : undefined;
  let recipient: StoredRecord | undefined;
  if (!("record_email" in action.to)) {
    const person = await resolvePerson(tx, record, action.to);
    recipient = person ? await userOf(tx, ws, person.userId) : undefined;
  }
  return { record, owner, company: company?.object === "company" ? company : undefined, recipient };
}
