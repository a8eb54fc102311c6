/** How records and log entries look on the wire: flat snake_case JSON. */
import type { RecordWithRelated } from "../app/records/record-reader.js";
import type { AuditEntry, DomainEvent, StoredRecord } from "../store/ports.js";

/** A record on the wire: its own columns, then its fields (openapi/record-schemas.ts: one schema per object, `AnyRecord` for all). */
export interface PresentedRecord {
  id: string;
  object: string;
  version: number;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export function presentRecord(record: StoredRecord): PresentedRecord {
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

export function presentAudit(e: AuditEntry) {
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
    // SLA events: the milestone's facts (policy, clock, milestone, level, due instant).
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
  };
}

export const etagOf = (record: StoredRecord) => `"${record.version}"`;
