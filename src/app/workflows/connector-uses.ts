/**
 * Which connector each external action of a definition is delivered through. Publishing checks
 * that they exist and are of the right kind; deleting a connector checks that no live workflow
 * still names it.
 */
import { ACTIONS, isExternalAction } from "../../connectors/actions.js";
import type { ConnectorKind } from "../../connectors/registry.js";
import type { WorkflowDefinition } from "../../engine/definition.js";

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
    if (s.type !== "action" || !isExternalAction(s.action)) continue;
    // Every external action names its connector (the schema fills in the default key).
    uses.push({ step, action: s.action.type, connector: s.action.connector, kind: ACTIONS[s.action.type].connector });
  }
  return uses;
}
