/**
 * What an external action puts on the outbox, and what it counts against: the action registry
 * (src/connectors/actions.ts) names each action's payload builder and quota; here the runtime
 * loads the outbox view the builder renders over, in the step's transaction. Templates are
 * rendered at enqueue time (never at delivery); record values are data to them, never compiled.
 *
 * To add an external action: its builder next to its connector, one line in the action registry.
 */
import { ACTIONS, isExternalAction } from "../connectors/actions.js";
import type { BuiltOutboxPayload, ExternalAction, OutboxView, PayloadBuilder, QuotaClass } from "../connectors/contract.js";
import { type ActionSpec, DEFAULT_LIMITS, type WorkflowDefinition } from "../engine/definition.js";
import type { StoredRecord, StoreTx } from "../store/ports.js";
import { resolvePerson } from "./people.js";

export type { BuiltOutboxPayload, OutboxView, PayloadBuilder };

/** An action that is not external: it has no builder, nothing to put on the outbox (publish refuses it too). */
export class NoPayloadBuilderError extends Error {}

function external(action: ActionSpec): ExternalAction {
  if (!isExternalAction(action)) throw new NoPayloadBuilderError(`no outbox payload builder for ${action.type}`);
  return action;
}

export function buildOutboxPayload(action: ActionSpec, view: OutboxView, key: string): BuiltOutboxPayload {
  const a = external(action);
  // The registry is typed per action; one call site over the union needs its builder as the union's.
  const build = ACTIONS[a.type].build as PayloadBuilder;
  return build(a, view, key);
}

/** How each quota is named to people and where a workflow sets its limit. */
const QUOTAS: { [Q in QuotaClass]: { noun: string; limit(limits: WorkflowDefinition["limits"]): number } } = {
  email: { noun: "emails", limit: (l) => l?.emails_per_hour ?? DEFAULT_LIMITS.emails_per_hour },
  calls: { noun: "calls", limit: (l) => l?.calls_per_hour ?? DEFAULT_LIMITS.calls_per_hour },
};

/** Which quota an external action counts against, and its limit for this workflow. */
export function quotaOf(action: ActionSpec, limits: WorkflowDefinition["limits"]): { name: QuotaClass; noun: string; limit: number } {
  const name = ACTIONS[external(action).type].quota;
  const quota = QUOTAS[name];
  return { name, noun: quota.noun, limit: quota.limit(limits) };
}

async function related(tx: StoreTx, workspaceId: string, id: unknown, object: string): Promise<StoredRecord | null> {
  if (typeof id !== "string") return null;
  const r = await tx.records.getRecord(workspaceId, id);
  return r?.object === object ? r : null;
}

export async function loadOutboxView(tx: StoreTx, record: StoredRecord, action: ActionSpec, at: string): Promise<OutboxView> {
  const ws = record.workspaceId;
  const owner = await related(tx, ws, record.data.owner_id, "user");
  const company = record.object === "company" ? record : await related(tx, ws, record.data.company_id, "company");
  let recipient: StoredRecord | null = null;
  if (action.type === "send_email" && !("record_email" in action.to)) {
    // People are resolved the way every action resolves them (manager of, team lead of …).
    const person = await resolvePerson(tx, record, action.to, at);
    recipient = person ? await related(tx, ws, person.userId, "user") : null;
  }
  return { record, owner, company, recipient };
}
