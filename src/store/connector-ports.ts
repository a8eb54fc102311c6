/**
 * Storage port of connector settings (the configuration audit's is config-audit-ports.ts).
 *
 * Glossary
 * - Connector: a workspace's named settings for one outside system, found by `key` ("email",
 *   "chat", "enrichment"). `config` is public JSON, checked against its kind's schema by the
 *   service; `secrets` is one SecretBox-sealed text holding every secret value, and
 *   `secretNames` lists the names inside it so they can be shown ("set") without the master key.
 */
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

export type { ConfigAuditAction, ConfigAuditEntry, NewConfigAuditEntry } from "./config-audit-ports.js";

export interface ConnectorReads {
  getConnectorByKey(workspaceId: string, key: string): Promise<ConnectorRow | undefined>;
  /** One workspace's connectors by key; every workspace's when `workspaceId` is undefined (re-keying). */
  listConnectors(workspaceId?: string): Promise<ConnectorRow[]>;
}

export interface ConnectorPort extends ConnectorReads {
  /** Reads a connector and locks it until the transaction ends (PostgreSQL), so patches do not lose each other. */
  getConnectorForUpdate(workspaceId: string, key: string): Promise<ConnectorRow | undefined>;
  /** Fails (unique violation) when the workspace already has a connector with this key. */
  insertConnector(row: ConnectorRow): Promise<void>;
  updateConnector(row: ConnectorRow): Promise<boolean>;
  deleteConnector(workspaceId: string, id: string): Promise<boolean>;
}
