/**
 * The webhook deliverer's view of subscriptions (contract.ts WebhookTargets): read at delivery
 * time, the signing secret opened only when the attempt signs. Sealing and opening secrets is the
 * application's (SecretBox, signing-secret.ts); the connector gets only what it needs.
 */
import type { WebhookTarget, WebhookTargets } from "../../connectors/contract.js";
import type { SubscriptionReads } from "../../store/subscription-ports.js";
import { openSigningSecret } from "../inbound/signing-secret.js";
import type { SecretBox } from "../secrets/secret-box.js";

export function webhookTargets(subscriptions: Pick<SubscriptionReads, "getWebhookSubscription">, box: SecretBox): WebhookTargets {
  return async (workspaceId, subscriptionId): Promise<WebhookTarget | undefined> => {
    const sub = await subscriptions.getWebhookSubscription(workspaceId, subscriptionId);
    if (!sub) return undefined;
    return { id: sub.id, url: sub.url, active: sub.active, signingSecret: () => openSigningSecret(box, sub.secretSealed) };
  };
}
