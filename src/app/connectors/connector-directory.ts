/**
 * The outbox's view of connectors (contract.ts ConnectorDirectory): a connector by key with its
 * secrets opened, for the length of one delivery. A secret that cannot be opened — no master
 * key, another master key, a tampered value — throws SecretsUnavailableError naming the
 * connector and both key ids: delivery fails closed and nothing is sent.
 */
import { type ConnectorDirectory, type ResolvedConnector, SecretsUnavailableError } from "../../connectors/contract.js";
import { connectorOf } from "../../connectors/registry.js";
import type { ConnectorReads } from "../../store/connector-ports.js";
import type { SecretBox } from "../secrets/secret-box.js";

export class SealedConnectorDirectory implements ConnectorDirectory {
  constructor(
    private readonly connectors: Pick<ConnectorReads, "getConnectorByKey">,
    private readonly box: SecretBox,
  ) {}

  async resolve(workspaceId: string, key: string): Promise<ResolvedConnector | undefined> {
    const row = await this.connectors.getConnectorByKey(workspaceId, key);
    if (!row) return undefined;
    let secrets: Record<string, string> = {};
    if (row.secrets !== null) {
      try {
        secrets = this.box.open(row.secrets);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new SecretsUnavailableError(`connector "${key}": ${why}`);
      }
    }
    // Rows written before a schema gained a default get it here; a row that no longer parses
    // (a field was tightened) is handed over as stored and the deliverer reports what is wrong.
    const parsed = connectorOf(row.kind)?.config.safeParse(row.config);
    const config = parsed?.success ? parsed.data : row.config;
    return { id: row.id, key: row.key, kind: row.kind, config: Object.freeze({ ...config }), secrets: Object.freeze(secrets) };
  }
}
