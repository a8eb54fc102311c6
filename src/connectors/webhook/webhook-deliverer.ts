/**
 * Delivers `webhook` outbox items to their subscription's URL, signed the Standard Webhooks way:
 * `webhook-id` is the item's key on every attempt (so a receiver drops duplicates of at-least-once
 * delivery), `webhook-timestamp` the attempt's time, `webhook-signature` v1 HMAC-SHA256 over
 * id.timestamp.body with the subscription's whsec_ secret, opened only here. Every attempt goes
 * through the egress guard (sendHttp).
 *
 * Outcome: 2xx ok; 408, 429 and 5xx retryable with their Retry-After; any other status
 * permanent; timeouts and connection errors retryable; a destination the guard refuses, a
 * deleted subscription or secrets that cannot be opened permanent (fail closed, nothing sent).
 */
import { Webhook } from "standardwebhooks";
import { openSigningSecret } from "../../app/inbound/signing-secret.js";
import type { SecretBox } from "../../app/secrets/secret-box.js";
import type { SubscriptionReads } from "../../store/subscription-ports.js";
import type { Deliverer, DeliveryContext, DeliveryOutcome, OutboxItem } from "../contract.js";
import type { EgressGuard } from "../egress/guard.js";
import { sendHttp } from "../egress/http-transport.js";
import { outcomeOfError, outcomeOfResponse } from "../http-outcome.js";

export interface WebhookDelivererDeps {
  guard: EgressGuard;
  /** Reads the subscription (URL, sealed secret) at delivery time: a changed URL or rotated secret applies to the next attempt. */
  subscriptions: Pick<SubscriptionReads, "getWebhookSubscription">;
  box: SecretBox;
  now: () => number;
  /** Default 10 s for the whole call. */
  timeoutMs?: number;
  /** Default 64 KiB: only the status matters; a receiver's body is kept for the outbox view. */
  maxResponseBytes?: number;
}

const USER_AGENT = "Handoff-Webhooks/1";

export function webhookDeliverer(deps: WebhookDelivererDeps): Deliverer {
  return {
    kind: "webhook",
    // Synchronous and the item holds no URL: the subscription is the destination a breaker counts.
    destination: (item) => `webhook:${item.subscriptionId ?? "none"}`,
    async deliver(item: OutboxItem, _connector, ctx: DeliveryContext): Promise<DeliveryOutcome> {
      try {
        const sub = item.subscriptionId
          ? await deps.subscriptions.getWebhookSubscription(item.workspaceId, item.subscriptionId)
          : undefined;
        if (!sub) return { ok: false, retryable: false, error: `webhook subscription ${item.subscriptionId ?? "(none)"} no longer exists` };
        if (!sub.active) return { ok: false, retryable: false, error: `webhook subscription ${sub.id} is paused (active: false)` };
        const body = JSON.stringify(item.payload);
        const at = new Date(deps.now());
        const signature = new Webhook(openSigningSecret(deps.box, sub.secretSealed)).sign(item.key, at, body);
        const res = await sendHttp(
          {
            method: "POST",
            url: sub.url,
            headers: {
              "content-type": "application/json",
              "user-agent": USER_AGENT,
              "webhook-id": item.key,
              "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
              "webhook-signature": signature,
            },
            body,
          },
          {
            guard: deps.guard,
            timeoutMs: deps.timeoutMs ?? 10_000,
            maxResponseBytes: deps.maxResponseBytes ?? 64 * 1024,
            signal: ctx.signal,
          },
        );
        return outcomeOfResponse(res, {}, deps.now());
      } catch (error) {
        return outcomeOfError(error, {}, ctx.signal);
      }
    },
  };
}
