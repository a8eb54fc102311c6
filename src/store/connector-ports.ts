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
