/**
 * Storage port of webhook subscriptions (glossary: inbound-ports.ts, "Webhook subscription").
 */
import type { WebhookSubscriptionRow } from "./inbound-ports.js";

export interface SubscriptionReads {
  getWebhookSubscription(workspaceId: string, id: string): Promise<WebhookSubscriptionRow | undefined>;
  listWebhookSubscriptions(workspaceId: string): Promise<WebhookSubscriptionRow[]>;
}

export interface SubscriptionPort extends SubscriptionReads {
  insertWebhookSubscription(sub: WebhookSubscriptionRow): Promise<void>;
  updateWebhookSubscription(sub: WebhookSubscriptionRow): Promise<void>;
  deleteWebhookSubscription(workspaceId: string, id: string): Promise<boolean>;
}
