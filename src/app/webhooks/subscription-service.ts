/**
 * Outbound webhook subscriptions as an admin manages them. The signing secret (`whsec_…`) is in
 * the response that created or rotated it and never again; it is stored sealed. The URL is
 * checked for its scheme here; where it may point (no private addresses) is the egress guard's
 * decision at delivery time, when the name is resolved.
 */
import { z } from "zod";
import { httpUrl } from "../../connectors/config-schemas.js";
import { zodIssues } from "../../engine/validate.js";
import type { WebhookSubscriptionRow } from "../../store/inbound-ports.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { newSigningSecret, sealSigningSecret } from "../inbound/signing-secret.js";
import { requireAdmin } from "../inbound/source-keys.js";
import type { Clock, IdGenerator } from "../ports.js";
import type { SecretBox } from "../secrets/secret-box.js";
import { EVENT_PATTERN_HELP, isEventPattern } from "./fan-out.js";

// The same URL rule as HTTP connectors: no user:password in it (a subscription has its own signing secret).
const url = httpUrl.pipe(z.string().max(2000));
const editable = {
  url,
  description: z.string().max(500),
  events: z
    .array(z.string().refine(isEventPattern, `an event pattern: ${EVENT_PATTERN_HELP}`))
    .min(1)
    .max(100),
  active: z.boolean(),
};
const createSchema = z
  .object({ ...editable, description: editable.description.default(""), active: editable.active.default(true) })
  .strict();
const patchSchema = z.object(editable).partial().strict();

export interface SubscriptionWithSecret {
  subscription: WebhookSubscriptionRow;
  secret: string;
}

export class WebhookSubscriptionService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<WebhookSubscriptionRow[]> {
    requireAdmin(ctx.role, "webhook subscriptions");
    return this.store.subscriptions.listWebhookSubscriptions(ctx.workspaceId);
  }

  async get(ctx: CallContext, id: string): Promise<WebhookSubscriptionRow> {
    requireAdmin(ctx.role, "webhook subscriptions");
    const sub = await this.store.subscriptions.getWebhookSubscription(ctx.workspaceId, id);
    if (!sub) throw notFound(`webhook subscription ${id}`);
    return sub;
  }

  async create(ctx: CallContext, input: unknown): Promise<SubscriptionWithSecret> {
    requireAdmin(ctx.role, "webhook subscriptions");
    const parsed = createSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const now = this.clock.now().toISOString();
    const secret = newSigningSecret();
    const subscription: WebhookSubscriptionRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      url: parsed.data.url,
      description: parsed.data.description,
      events: [...new Set(parsed.data.events)],
      secretSealed: sealSigningSecret(this.box, secret),
      active: parsed.data.active,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.transaction((tx) => tx.subscriptions.insertWebhookSubscription(subscription));
    return { subscription, secret };
  }

  async update(ctx: CallContext, id: string, input: unknown): Promise<WebhookSubscriptionRow> {
    const sub = await this.get(ctx, id);
    const parsed = patchSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const next: WebhookSubscriptionRow = {
      ...sub,
      ...(v.url !== undefined ? { url: v.url } : {}),
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.events !== undefined ? { events: [...new Set(v.events)] } : {}),
      ...(v.active !== undefined ? { active: v.active } : {}),
      updatedAt: this.clock.now().toISOString(),
    };
    await this.store.transaction((tx) => tx.subscriptions.updateWebhookSubscription(next));
    return next;
  }

  async delete(ctx: CallContext, id: string): Promise<void> {
    await this.get(ctx, id);
    if (!(await this.store.transaction((tx) => tx.subscriptions.deleteWebhookSubscription(ctx.workspaceId, id))))
      throw notFound(`webhook subscription ${id}`);
  }

  /** A new secret at once (receivers verify with it from the next delivery on); shown once. */
  async rotateSecret(ctx: CallContext, id: string): Promise<SubscriptionWithSecret> {
    const sub = await this.get(ctx, id);
    const secret = newSigningSecret();
    const next = { ...sub, secretSealed: sealSigningSecret(this.box, secret), updatedAt: this.clock.now().toISOString() };
    await this.store.transaction((tx) => tx.subscriptions.updateWebhookSubscription(next));
    return { subscription: next, secret };
  }
}
