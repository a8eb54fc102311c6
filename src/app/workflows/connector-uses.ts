/**
 * Which connector each external action of a definition is delivered through. Publishing checks
 * that they exist and are of the right kind; deleting a connector checks that no live workflow
 * still names it.
 */
import type { ConnectorKind } from "../../connectors/contract.js";
import type { WorkflowDefinition } from "../../engine/definition.js";

/** The connector kind each external action is delivered through. */
export const CONNECTOR_KIND: Partial<Record<string, ConnectorKind>> = { send_email: "smtp", http_request: "http", send_chat: "chat" };

export interface ConnectorUse {
  step: string;
  action: string;
  connector: string;
  kind: ConnectorKind;
}

/** The definition's external actions with the connector each names (defaults applied by the schema). */
export function connectorUses(def: WorkflowDefinition): ConnectorUse[] {
  const uses: ConnectorUse[] = [];
  for (const [step, s] of Object.entries(def.steps)) {
    if (s.type !== "action") continue;
    const kind = CONNECTOR_KIND[s.action.type];
    if (kind && "connector" in s.action) uses.push({ step, action: s.action.type, connector: s.action.connector, kind });
  }
  return uses;
}
