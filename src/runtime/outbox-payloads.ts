/**
 * What an external action puts on the outbox: one pure builder per action type, rendering the
 * action's templates at enqueue time (never at delivery) over the outbox view of the record.
 * Record values are data to the templates, never compiled.
 *
 * To add an external action, write its builder next to its connector and register it here with
 * one line (send_email → src/connectors/smtp/email-payload.ts, send_chat → its chat connector).
 */
import { buildHttpPayload } from "../connectors/http/http-payload.js";
import type { ActionSpec } from "../engine/definition.js";
import type { NewOutboxItem } from "../store/outbox-ports.js";
import type { StoredRecord, StoreReads } from "../store/ports.js";
import { recordView } from "./facts.js";

/** What an external action's templates may read: {{ record.* }}, {{ owner.* }}, {{ company.* }}. */
export interface OutboxView {
  record: Record<string, unknown>;
  /** The record's owner (its owner_id user), or null. */
  owner: Record<string, unknown> | null;
  /** The record's company (its company_id), or null. */
  company: Record<string, unknown> | null;
}

export type BuiltOutboxPayload = Pick<NewOutboxItem, "kind" | "connector" | "payload">;

export type PayloadBuilder<A extends ActionSpec = ActionSpec> = (action: A, view: OutboxView, key: string) => BuiltOutboxPayload;

type BuilderFor<T extends ActionSpec["type"]> = PayloadBuilder<Extract<ActionSpec, { type: T }>>;

/** One line per external action type. */
export const PAYLOAD_BUILDERS: { [T in ActionSpec["type"]]?: BuilderFor<T> } = {
  http_request: buildHttpPayload,
};

/** No builder for an action type: this release cannot deliver it (publish refuses it too). */
export class NoPayloadBuilderError extends Error {}

export function buildOutboxPayload(action: ActionSpec, view: OutboxView, key: string): BuiltOutboxPayload {
  const builder = PAYLOAD_BUILDERS[action.type] as PayloadBuilder | undefined;
  if (!builder) throw new NoPayloadBuilderError(`no outbox payload builder for ${action.type}`);
  return builder(action, view, key);
}

async function related(reads: StoreReads, workspaceId: string, id: unknown, object: string) {
  if (typeof id !== "string") return null;
  const r = await reads.getRecord(workspaceId, id);
  return r?.object === object ? recordView(r) : null;
}

export async function loadOutboxView(reads: StoreReads, record: StoredRecord): Promise<OutboxView> {
  const ws = record.workspaceId;
  const [owner, company] = await Promise.all([
    related(reads, ws, record.data.owner_id, "user"),
    related(reads, ws, record.data.company_id, "company"),
  ]);
  return { record: recordView(record), owner, company };
}
