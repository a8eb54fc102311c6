/** How records and log entries look on the wire: flat snake_case JSON. */
import type { RecordWithRelated } from "../app/records/record-reader.js";
import type { OutboxAttempt } from "../store/outbox-ports.js";
import type { AuditEntry, DomainEvent, StoredRecord } from "../store/ports.js";

export function presentRecord(record: StoredRecord): Record<string, unknown> {
  return {
    id: record.id,
    object: record.object,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    ...record.data,
  };
}

export function presentWithRelated({ record, related }: RecordWithRelated): Record<string, unknown> {
  const out = presentRecord(record);
  if (Object.keys(related).length > 0) {
    out.related = Object.fromEntries(Object.entries(related).map(([k, v]) => [k, v ? presentRecord(v) : null]));
  }
  return out;
}

export function presentAudit(e: AuditEntry): Record<string, unknown> {
  return { action: e.action, at: e.at, actor: e.actor, changes: e.changes, request_id: e.requestId };
}

export function presentEvent(e: DomainEvent): Record<string, unknown> {
  return {
    position: e.position,
    id: e.id,
    type: e.type,
    object: e.object,
    record_id: e.recordId,
    record_version: e.recordVersion,
    actor: e.actor,
    cause_id: e.causeId,
    changes: e.changes,
    occurred_at: e.occurredAt,
    ...(e.source !== undefined ? { source: e.source } : {}),
  };
}

export const etagOf = (record: StoredRecord) => `"${record.version}"`;

/** One delivery attempt of an external action, as the run log, the timeline and the outbox show it. */
export const presentAttempt = (a: OutboxAttempt) => ({
  outbox_id: a.outboxId,
  attempt: a.attempt,
  at: a.at,
  outcome: a.outcome,
  status: a.status,
  error: a.error,
  next_attempt_at: a.nextAttemptAt,
});
