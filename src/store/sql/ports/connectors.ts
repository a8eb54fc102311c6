/** The connector settings port. */
import type { ConnectorPort, ConnectorRow } from "../../connector-ports.js";
import * as conn from "../connectors.js";
import type { SqlSession } from "../session.js";

export class SqlConnectors implements ConnectorPort {
  constructor(private readonly s: SqlSession) {}

  getConnectorByKey(workspaceId: string, key: string) {
    return conn.getConnectorByKey(this.s.db, this.s.d, workspaceId, key);
  }
  getConnectorForUpdate(workspaceId: string, key: string) {
    return conn.getConnectorByKey(this.s.db, this.s.d, workspaceId, key, true);
  }
  listConnectors(workspaceId?: string) {
    return conn.listConnectors(this.s.db, this.s.d, workspaceId);
  }
  insertConnector(row: ConnectorRow) {
    return conn.insertConnector(this.s.db, this.s.d, row);
  }
  updateConnector(row: ConnectorRow) {
    return conn.updateConnector(this.s.db, this.s.d, row);
  }
  deleteConnector(workspaceId: string, id: string) {
    return conn.deleteConnector(this.s.db, workspaceId, id);
  }
}
