/**
 * Storage port of the audit trail.
 *
 * Glossary
 * - Actor: who made a change — a person or an integration (by token id), a workflow (by id), the system.
 * - Audit entry: who changed which fields of a record from what to what, when and as whom.
 *   Nothing reads the trail inside the transaction that writes it: a transaction queues its
 *   entries and inserts them together before it commits (sql/unit-of-work.ts).
 */
import type { ActorRef } from "../crm/actor.js";
import type { ObjectName } from "../crm/fields.js";

export type { ActorKind, ActorRef } from "../crm/actor.js";

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export type RecordAction = "create" | "update" | "delete";

export interface AuditEntry {
  workspaceId: string;
  recordId: string;
  object: ObjectName;
  action: RecordAction;
  actor: ActorRef;
  changes: FieldChange[];
  at: string;
  requestId: string | null;
}

export interface AuditReads {
  readAudit(workspaceId: string, recordId: string, limit: number): Promise<AuditEntry[]>;
  /** Audit entries written by one request (how an abandoned idempotent request is recognised). */
  auditOfRequest(workspaceId: string, requestId: string, limit: number): Promise<AuditEntry[]>;
  /**
   * Each entry of these records that set `field` — a creation with a value in it, or a change of
   * it — as the value it set and when, oldest first for each record: many records in one read,
   * through the index audit_log_record (when a record reached its value: ai/outcome-instants.ts).
   */
  fieldSettings(workspaceId: string, recordIds: readonly string[], field: string): Promise<FieldSetting[]>;
}

export interface FieldSetting {
  recordId: string;
  /** The value the entry set (null when it cleared the field). */
  value: unknown;
  at: string;
}

export interface AuditPort extends AuditReads {
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
}
