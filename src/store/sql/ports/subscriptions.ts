/** The webhook subscriptions port: the matcher asks once per event, a transaction reads once per workspace. */
import type { WebhookSubscriptionRow } from "../../inbound-ports.js";
import type { SubscriptionPort } from "../../subscription-ports.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";
import * as subs from "../webhook-subscriptions.js";

export class SqlSubscriptions implements SubscriptionPort {
  constructor(private readonly s: SqlSession) {}

  getWebhookSubscription(workspaceId: string, id: string) {
    return subs.getWebhookSubscription(this.s.db, this.s.d, workspaceId, id);
  }
  async listWebhookSubscriptions(workspaceId: string) {
    const load = () => subs.listWebhookSubscriptions(this.s.db, this.s.d, workspaceId);
    return this.s.uow ? [...(await memoized(this.s.uow.subscriptions, workspaceId, load))] : load();
  }
  insertWebhookSubscription(sub: WebhookSubscriptionRow) {
    this.s.uow?.subscriptions.delete(sub.workspaceId);
    return subs.insertWebhookSubscription(this.s.db, this.s.d, sub);
  }
  updateWebhookSubscription(sub: WebhookSubscriptionRow) {
    this.s.uow?.subscriptions.delete(sub.workspaceId);
    return subs.updateWebhookSubscription(this.s.db, this.s.d, sub);
  }
  deleteWebhookSubscription(workspaceId: string, id: string) {
    this.s.uow?.subscriptions.delete(workspaceId);
    return subs.deleteWebhookSubscription(this.s.db, workspaceId, id);
  }
}
