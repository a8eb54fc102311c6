/**
 * The action registry: every external action of a workflow (EXTERNAL_ACTIONS in the engine's
 * definition), one line each — its payload builder (next to its connector), the hourly quota it
 * counts against and the kind of connector that delivers it. Typed over the union, so that a new
 * external action without a line here, or a line removed, is a compile error.
 *
 * Read by the runtime (rendering at enqueue, quotas) and by the workflow service (which connector
 * a published definition needs).
 */
import { buildChatPayload } from "./chat/chat-payload.js";
import type { ActionDefinition, ExternalAction, ExternalActionType } from "./contract.js";
import { buildHttpPayload } from "./http/http-payload.js";
import type { ConnectorKind } from "./registry.js";
import { buildEmailPayload } from "./smtp/email-payload.js";

export const ACTIONS: { [T in ExternalActionType]: ActionDefinition<T, ConnectorKind> } = {
  send_email: { build: buildEmailPayload, quota: "email", connector: "smtp" },
  http_request: { build: buildHttpPayload, quota: "calls", connector: "http" },
  send_chat: { build: buildChatPayload, quota: "calls", connector: "chat" },
};

export function isExternalAction(action: { type: string }): action is ExternalAction {
  return Object.hasOwn(ACTIONS, action.type);
}
