/**
 * The outbox payload of an `http_request` action, rendered at enqueue: path, header values and
 * body strings are Liquid templates over the outbox view; the result holds no secret (auth is
 * added by the deliverer from the connector's secrets).
 */

import { recordView } from "../../crm/record-view.js";
import { isTemplate, renderTemplate } from "../../engine/templates.js";
import type { BuiltOutboxPayload, ExternalAction, HttpPayload, OutboxView } from "../contract.js";

type HttpRequestAction = ExternalAction<"http_request">;

type Scope = Record<string, unknown>;

/** What the templates read: the record, the owner's public fields, the company. */
function scopeOf(view: OutboxView): Scope {
  const owner = view.owner?.data;
  return {
    record: recordView(view.record),
    owner: owner ? { name: owner.name, email: owner.email, calendar_link: owner.calendar_link } : {},
    company: view.company ? recordView(view.company) : {},
  };
}

function render(value: string, scope: Scope): string {
  return isTemplate(value) ? renderTemplate(value, scope) : value;
}

/** Every string inside a JSON body rendered; numbers, booleans and structure kept. */
function renderJson(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") return render(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, scope));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, scope)]));
  return value;
}

export function buildHttpPayload(action: HttpRequestAction, view: OutboxView, _key: string): BuiltOutboxPayload {
  const scope = scopeOf(view);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.headers ?? {})) headers[name.toLowerCase()] = render(value, scope);
  let body: string | undefined;
  if (typeof action.body === "string") body = render(action.body, scope);
  else if (action.body !== undefined) {
    body = JSON.stringify(renderJson(action.body, scope));
    headers["content-type"] ??= "application/json";
  }
  const payload: HttpPayload = {
    method: action.method,
    path: render(action.path, scope),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(action.map_response ? { mapResponse: action.map_response, onlyIfEmpty: action.only_if_empty } : {}),
  };
  return { kind: "http", connector: action.connector, payload };
}
