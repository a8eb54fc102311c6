/**
 * Builds the outbox payload of a send_chat action when it is enqueued: the text rendered once,
 * so every retry posts the same message. Pure: the runtime hands in the records it loaded.
 *
 * Only the admin's template is compiled; record values reach it as data — and as data they
 * cannot address people or format links: `<`, `>` and `&` are escaped the way Slack asks
 * (CommonMark renderers such as Mattermost and Teams decode them back to the characters), and
 * `@channel` / `@here` / `@all` / `@everyone` in a value are broken with a zero-width space, so a
 * lead named "@channel" does not page a whole team.
 */
import { renderTemplate } from "../../engine/templates.js";
import type { ChatPayload, ExternalAction, ViewRecord } from "../contract.js";

export type SendChatAction = ExternalAction<"send_chat">;

/** The records a message is rendered from. */
export interface ChatView {
  record: ViewRecord;
  /** The user in the record's owner_id, if any. */
  owner?: ViewRecord | null | undefined;
  /** The company in the record's company_id (or the record itself when it is a company). */
  company?: ViewRecord | null | undefined;
}

/** Longest message posted; incoming webhooks refuse or cut longer ones at different lengths. */
export const MAX_CHAT_TEXT = 4000;

const MENTION = /@(channel|here|all|everyone)\b/gi;

/** A record value made inert for chat markup. */
export function chatSafe(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(MENTION, "@\u200b$1");
}

function inert(value: unknown): unknown {
  if (typeof value === "string") return chatSafe(value);
  if (Array.isArray(value)) return value.map(inert);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inert(v)]));
  return value;
}

const fieldsOf = (r: ViewRecord | null | undefined): Record<string, unknown> =>
  r ? (inert({ ...r.data, id: r.id, created_at: r.createdAt, updated_at: r.updatedAt }) as Record<string, unknown>) : {};

/** The outbox entry of one send_chat step. `key` is its idempotency key (sent as Idempotency-Key, not in the text). */
export function buildChatPayload(
  action: SendChatAction,
  view: ChatView,
  _key: string,
): { kind: "chat"; connector: string; payload: ChatPayload } {
  const owner = view.owner ?? undefined;
  const scope = {
    record: fieldsOf(view.record),
    // Only what a message may show of a user: not their PTO, capacity or manager.
    owner: owner ? inert({ name: owner.data.name, email: owner.data.email, calendar_link: owner.data.calendar_link }) : {},
    company: fieldsOf(view.company ?? (view.record.object === "company" ? view.record : undefined)),
  };
  let text = renderTemplate(action.text, scope).trim();
  if (text.length > MAX_CHAT_TEXT) text = `${text.slice(0, MAX_CHAT_TEXT - 1)}…`;
  return { kind: "chat", connector: action.connector, payload: { text } };
}
