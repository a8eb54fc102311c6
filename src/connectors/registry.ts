/**
 * The connector registry: every kind of connector a workspace can configure, one line each. A
 * kind's folder holds its config, its deliverer and its declaration (`<kind>-connector.ts`); this
 * line makes it known to the connector service (settings, secrets), the connector directory and
 * the composition root (its deliverer). The kinds are the keys of this table: the action registry
 * (actions.ts) names them, so removing a line here is a compile error wherever the kind is used.
 *
 * Webhook subscriptions are not here: their target is the subscription, not workspace settings
 * (src/connectors/webhook/, wired by the composition root).
 */
import { chatConnector } from "./chat/chat-connector.js";
import type { ConnectorDefinition, Deliverer, DelivererDeps } from "./contract.js";
import { httpConnector } from "./http/http-connector.js";
import { smtpConnector } from "./smtp/smtp-connector.js";

export const CONNECTORS = {
  smtp: smtpConnector,
  http: httpConnector,
  chat: chatConnector,
} satisfies Record<string, ConnectorDefinition>;

export type ConnectorKind = keyof typeof CONNECTORS;

export const CONNECTOR_KIND_NAMES = Object.keys(CONNECTORS) as ConnectorKind[];

export function isConnectorKind(value: unknown): value is ConnectorKind {
  return typeof value === "string" && Object.hasOwn(CONNECTORS, value);
}

/** The declaration of a stored kind; undefined for a kind this release does not know. */
export function connectorOf(kind: string): ConnectorDefinition | undefined {
  return isConnectorKind(kind) ? CONNECTORS[kind] : undefined;
}

/** Secret values that must look like something, checked before they are sealed. */
export function secretValueProblem(kind: ConnectorKind, name: string, value: string): string | undefined {
  if (value.length === 0) return "a secret cannot be empty (send null to remove it)";
  if (value.length > 8192) return "at most 8192 characters";
  return CONNECTORS[kind].secretValueProblem?.(name, value);
}

/** One deliverer per connector kind. */
export function connectorDeliverers(deps: DelivererDeps): Deliverer[] {
  return CONNECTOR_KIND_NAMES.map((kind) => CONNECTORS[kind].deliverer(deps));
}
