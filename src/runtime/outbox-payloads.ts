/**
 * What an external action puts on the outbox: one pure builder per action type, rendering the
 * action's templates at enqueue time (never at delivery) over the outbox view of the record.
 * Record values are data to the templates, never compiled.
 *
 * To add an external action, write its builder next to its connector and register it here with
 * one line (send_email → src/connectors/smtp/email-payload.ts, send_chat → its chat connector).
 */
import { buildChatPayload } from "../connectors/chat/chat-payload.js";
import { buildHttpPayload } from "../connectors/http/http-payload.js";
import { buildEmailPayload } from "../connectors/smtp/email-payload.js";
import type { ActionSpec } from "../engine/definition.js";
import type { NewOutboxItem } from "../store/outbox-ports.js";
import type { StoredRecord, StoreTx } from "../store/ports.js";
import { resolvePerson } from "./apply.js";

/**
 * The records an external action is rendered from, loaded in the step's transaction. Builders
 * choose what of them a template may read (an owner shows only name, email and calendar link).
 */
export interface OutboxView {
  record: StoredRecord;
  /** The user in the record's owner_id, or null. */
  owner: StoredRecord | null;
  /** The company in the record's company_id (the record itself when it is a company), or null. */
  company: StoredRecord | null;
  /** The user a send_email's person-spec `to` resolved to, or null. */
  recipient: StoredRecord | null;
}

export type BuiltOutboxPayload = Pick<NewOutboxItem, "kind" | "connector" | "payload">;

export type PayloadBuilder<A extends ActionSpec = ActionSpec> = (action: A, view: OutboxView, key: string) => BuiltOutboxPayload;

type BuilderFor<T extends ActionSpec["type"]> = PayloadBuilder<Extract<ActionSpec, { type: T }>>;

/** One line per external action type. */
export const PAYLOAD_BUILDERS: { [T in ActionSpec["type"]]?: BuilderFor<T> } = {
  http_request: buildHttpPayload,
  send_chat: buildChatPayload,
  send_email: buildEmailPayload,
};

/** No builder for an action type: this release cannot deliver it (publish refuses it too). */
export class NoPayloadBuilderError extends Error {}

export function buildOutboxPayload(action: ActionSpec, view: OutboxView, key: string): BuiltOutboxPayload {
  const builder = PAYLOAD_BUILDERS[action.type] as PayloadBuilder | undefined;
  if (!builder) throw new NoPayloadBuilderError(`no outbox payload builder for ${action.type}`);
  return builder(action, view, key);
}

async function related(tx: StoreTx, workspaceId: string, id: unknown, object: string): Promise<StoredRecord | null> {
  if (typeof id !== "string") return null;
  const r = await tx.records.getRecord(workspaceId, id);
  return r?.object === object ? r : null;
}

export async function loadOutboxView(tx: StoreTx, record: StoredRecord, action: ActionSpec): Promise<OutboxView> {
  const ws = record.workspaceId;
  const owner = await related(tx, ws, record.data.owner_id, "user");
  const company = record.object === "company" ? record : await related(tx, ws, record.data.company_id, "company");
  let recipient: StoredRecord | null = null;
  if (action.type === "send_email" && !("record_email" in action.to)) {
    // People are resolved the way every action resolves them (manager of, team lead of …).
    const person = await resolvePerson(tx, record, action.to);
    recipient = person ? await related(tx, ws, person.userId, "user") : null;
  }
  return { record, owner, company, recipient };
}
