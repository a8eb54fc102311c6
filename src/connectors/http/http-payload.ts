/**
 * The outbox payload of an `http_request` action, rendered at enqueue: path, header values and
 * body strings are Liquid templates over the outbox view; the result holds no secret (auth is
 * added by the deliverer from the connector's secrets).
 */

import type { ActionSpec } from "../../engine/definition.js";
import { isTemplate, renderTemplate } from "../../engine/templates.js";
import type { BuiltOutboxPayload, OutboxView } from "../../runtime/outbox-payloads.js";
import type { HttpPayload } from "../contract.js";

type HttpRequestAction = Extract<ActionSpec, { type: "http_request" }>;

function render(value: string, view: OutboxView): string {
  return isTemplate(value) ? renderTemplate(value, { record: view.record, owner: view.owner, company: view.company }) : value;
}

/** Every string inside a JSON body rendered; numbers, booleans and structure kept. */
function renderJson(value: unknown, view: OutboxView): unknown {
  if (typeof value === "string") return render(value, view);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, view));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, view)]));
  return value;
}

export function buildHttpPayload(action: HttpRequestAction, view: OutboxView, _key: string): BuiltOutboxPayload {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.headers ?? {})) headers[name.toLowerCase()] = render(value, view);
  let body: string | undefined;
  if (typeof action.body === "string") body = render(action.body, view);
  else if (action.body !== undefined) {
    body = JSON.stringify(renderJson(action.body, view));
    headers["content-type"] ??= "application/json";
  }
  const payload: HttpPayload = {
    method: action.method,
    path: render(action.path, view),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(action.map_response ? { mapResponse: action.map_response, onlyIfEmpty: action.only_if_empty } : {}),
  };
  return { kind: "http", connector: action.connector, payload };
}
