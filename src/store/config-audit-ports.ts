/**
 * Storage port of the configuration audit.
 *
 * Glossary
 * - Config audit entry: an append-only row per change of configuration (a connector created,
 *   changed, deleted, its secrets re-sealed): who, when, what, and which secret names were set or
 *   removed — never a secret value. Never updated or deleted.
 */
import type { ActorRef } from "./audit-ports.js";

export type ConfigAuditAction = "create" | "update" | "delete" | "rekey";

export interface NewConfigAuditEntry {
  workspaceId: string;
  id: string;
  at: string;
  actor: ActorRef;
  requestId: string | null;
  /** What kind of thing changed: "connector", "user_password" (set or reset by an admin), "session" (revoked by an admin); later workflow permissions, webhook hooks … */
  entity: string;
  entityId: string;
  action: ConfigAuditAction;
  /** What changed, without secret values: e.g. { key, kind, config_fields, secrets_set, secrets_removed }. */
  summary: Record<string, unknown>;
}

export interface ConfigAuditEntry extends NewConfigAuditEntry {
  /** Increases with every entry appended. */
  seq: number;
}

export interface ConfigAuditReads {
  /** Newest first; `beforeSeq` pages back. */
  readConfigAudit(workspaceId: string, limit: number, beforeSeq?: number): Promise<ConfigAuditEntry[]>;
}

export interface ConfigAuditPort extends ConfigAuditReads {
  appendConfigAudit(entries: readonly NewConfigAuditEntry[]): Promise<void>;
}
