/**
 * Delivers send_chat items: POST `{"text": …}` — the incoming-webhook body Slack, Mattermost,
 * Rocket.Chat and Teams (workflow webhooks) all accept — to the connector's `webhook_url`
 * secret, through the egress guard. The item's key goes in `Idempotency-Key` for receivers that
 * drop duplicates; chat services mostly do not, so a retry after an ambiguous failure (timeout
 * after the post arrived) can show the message twice — at least once, as promised.
 */
import type { ChatPayload, Deliverer, DeliveryContext, DeliveryOutcome, OutboxItem, ResolvedConnector } from "../contract.js";
import type { EgressGuard } from "../egress/guard.js";
import { sendHttp } from "../egress/http-transport.js";
import { outcomeOfError, outcomeOfResponse } from "../http-outcome.js";
import type { ChatConfig } from "./chat-config.js";

export interface ChatDelivererOptions {
  guard: EgressGuard;
  /** One deadline per post. Default 10,000 ms. */
  timeoutMs?: number;
  /** Webhooks answer "ok" or a short error; more is not read. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Clock for Retry-After dates. Default Date.now. */
  now?: () => number;
}

const permanent = (error: string): DeliveryOutcome => ({ ok: false, retryable: false, error });

function webhookOf(connector: ResolvedConnector | undefined): URL | undefined {
  const raw = connector?.secrets.webhook_url;
  if (!raw) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * The secrets to scrub from error text: as stored, and the forms a transport error may quote —
 * the URL as parsed (normalised) and its path, which is the credential part of a webhook URL.
 */
function scrubbable(connector: ResolvedConnector, url: URL): Record<string, string> {
  const path = `${url.pathname}${url.search}`;
  return {
    ...connector.secrets,
    "webhook_url (as sent)": url.href,
    ...(path.length >= 8 ? { "webhook_url path": path } : {}),
  };
}

export class ChatDeliverer implements Deliverer {
  readonly kind = "chat" as const;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: ChatDelivererOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** host:port of the webhook (never its path: that is the secret part). */
  destination(item: OutboxItem, connector: ResolvedConnector | undefined): string {
    const url = webhookOf(connector);
    if (!url) return `chat:${item.connector ?? "?"}`;
    return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  }

  async deliver(item: OutboxItem, connector: ResolvedConnector | undefined, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    if (!connector) return permanent(`no connector "${item.connector}" in this workspace; create it (kind chat) and replay`);
    if (connector.kind !== "chat") return permanent(`connector "${connector.key}" is a ${connector.kind} connector, not chat`);
    const url = webhookOf(connector);
    if (!url) return permanent(`connector "${connector.key}" has no valid webhook_url secret; set it and replay`);
    const payload = item.payload as Partial<ChatPayload> | null;
    if (typeof payload?.text !== "string" || payload.text === "") return permanent("the outbox item has no message text");

    const config = connector.config as Partial<ChatConfig>;
    const body = JSON.stringify({
      text: payload.text,
      ...(config.username ? { username: config.username } : {}),
      ...(config.icon_url ? { icon_url: config.icon_url } : {}),
    });
    try {
      const res = await sendHttp(
        {
          method: "POST",
          url: url.toString(),
          headers: { "content-type": "application/json", "idempotency-key": item.key, "user-agent": "Handoff" },
          body,
        },
        {
          guard: this.options.guard,
          timeoutMs: this.timeoutMs,
          maxResponseBytes: this.maxResponseBytes,
          // A redirected POST would arrive as a GET without the message; the URL should be the final one.
          maxRedirects: 0,
          signal: ctx.signal,
        },
      );
      return outcomeOfResponse(res, scrubbable(connector, url), this.now());
    } catch (error) {
      return outcomeOfError(error, scrubbable(connector, url));
    }
  }
}
