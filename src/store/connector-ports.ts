/**
 * Storage ports of connector settings and of the configuration audit.
 *
 * Glossary
 * - Connector: a workspace's named settings for one outside system, found by `key` ("email",
 *   "chat", "enrichment"). `config` is public JSON, checked against its kind's schema by the
 *   service; `secrets` is one SecretBox-sealed text holding every secret value, and
 *   `secretNames` lists the names inside it so they can be shown ("set") without the master key.
 * - Config audit entry: an append-only row per change of configuration (a connector created,
 *   changed, deleted, its secrets re-sealed): who, when, what, and which secret names were set or
 *   removed — never a secret value. Never updated or deleted.
 */
import type { ActorRef } from "../crm/actor.js";

export interface ConnectorRow {
  workspaceId: string;
  id: string;
  key: string;
  /** The connector's kind (smtp, http, chat …): a key of the connector registry (src/connectors/registry.ts), kept as the name it was stored under. */
  kind: string;
  name: string;
  config: Record<string, unknown>;
  /** Sealed by SecretBox; null when there are no secrets. */
  secrets: string | null;
  secretNames: string[];
  createdAt: string;
  updatedAt: string;
}

export type ConfigAuditAction = "create" | "update" | "delete" | "rekey";

export interface NewConfigAuditEntry {
  workspaceId: string;
  id: string;
  at: string;
  actor: ActorRef;
  requestId: string | null;
  /** What kind of thing changed: "connector" (later: workflow permissions, webhook hooks …). */
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

export interface ConnectorReads {
  getConnectorByKey(workspaceId: string, key: string): Promise<ConnectorRow | undefined>;
  /** One workspace's connectors by key; every workspace's when `workspaceId` is undefined (re-keying). */
  listConnectors(workspaceId?: string): Promise<ConnectorRow[]>;
  /** Newest first; `beforeSeq` pages back. */
  readConfigAudit(workspaceId: string, limit: number, beforeSeq?: number): Promise<ConfigAuditEntry[]>;
}

export interface ConnectorWrites {
  /** Reads a connector and locks it until the transaction ends (PostgreSQL), so patches do not lose each other. */
  getConnectorForUpdate(workspaceId: string, key: string): Promise<ConnectorRow | undefined>;
  /** Fails (unique violation) when the workspace already has a connector with this key. */
  insertConnector(row: ConnectorRow): Promise<void>;
  updateConnector(row: ConnectorRow): Promise<boolean>;
  deleteConnector(workspaceId: string, id: string): Promise<boolean>;
  appendConfigAudit(entries: readonly NewConfigAuditEntry[]): Promise<void>;
}
