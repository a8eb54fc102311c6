/**
 * Inbound hooks as an admin manages them: create (the signing secret is in that response only),
 * read, change, delete, rotate the secret (the previous one stays valid for 24 hours so senders
 * can switch without losing deliveries).
 */
import { z } from "zod";
import { type FieldDef, OBJECT_NAMES } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { validateWrite } from "../../crm/validation.js";
import { zodIssues } from "../../engine/validate.js";
import type { InboundHookRow } from "../../store/inbound-ports.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import type { SecretBox } from "../secrets/secret-box.js";
import { newSigningSecret, sealSigningSecret } from "./signing-secret.js";
import { requireAdmin, requireFreeKey, SOURCE_KEY, SOURCE_KEY_MESSAGE } from "./source-keys.js";

/** How long the secret before a rotation is still accepted. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;
/** Deliveries per minute a hook accepts by default. */
export const DEFAULT_HOOK_RATE = 120;

const pointer = z.string().regex(/^(\/([^~/]|~[01])*)+$/, 'a JSON pointer such as "/contact/email"');
const editable = {
  name: z.string().min(1).max(200),
  mapping: z.record(z.string(), pointer).nullable(),
  defaults: z.record(z.string(), z.unknown()),
  match_on: z.string().min(1).nullable(),
  rate_per_min: z.number().int().min(1).max(100_000),
};
const createSchema = z
  .object({
    key: z.string().regex(SOURCE_KEY, SOURCE_KEY_MESSAGE),
    object: z.enum(OBJECT_NAMES),
    ...editable,
    mapping: editable.mapping.default(null),
    defaults: editable.defaults.default({}),
    match_on: editable.match_on.default(null),
    rate_per_min: editable.rate_per_min.default(DEFAULT_HOOK_RATE),
  })
  .strict();
const patchSchema = z.object(editable).partial().strict();

export interface HookWithSecret {
  hook: InboundHookRow;
  secret: string;
}

/** Mapped fields, defaults and the match field must be writable fields of the object. */
export function checkHookFields(fields: readonly FieldDef[], h: Pick<InboundHookRow, "mapping" | "defaults" | "matchOn">): Issue[] {
  const writable = new Set(fields.filter((f) => !f.managed).map((f) => f.name));
  const issues: Issue[] = [];
  for (const name of Object.keys(h.mapping ?? {})) {
    if (!writable.has(name)) issues.push({ path: ["mapping", name], code: "unknown_field", message: `"${name}" is not a writable field` });
  }
  if (h.matchOn !== null && !writable.has(h.matchOn)) {
    issues.push({ path: ["match_on"], code: "unknown_field", message: `"${h.matchOn}" is not a writable field` });
  }
  const defaults = validateWrite(fields, h.defaults, "update");
  if (!defaults.ok) issues.push(...defaults.issues.map((i) => ({ ...i, path: ["defaults", ...i.path] })));
  return issues;
}

export class InboundHookService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<InboundHookRow[]> {
    requireAdmin(ctx.role, "inbound hooks");
    return this.store.hooks.listInboundHooks(ctx.workspaceId);
  }

  async get(ctx: CallContext, key: string): Promise<InboundHookRow> {
    requireAdmin(ctx.role, "inbound hooks");
    const hook = await this.store.hooks.getInboundHookByKey(key);
    // Another workspace's hook is as unknown as a missing one.
    if (!hook || hook.workspaceId !== ctx.workspaceId) throw notFound(`inbound hook ${key}`);
    return hook;
  }

  async create(ctx: CallContext, input: unknown): Promise<HookWithSecret> {
    requireAdmin(ctx.role, "inbound hooks");
    const parsed = createSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const now = this.clock.now().toISOString();
    const secret = newSigningSecret();
    const hook: InboundHookRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      key: v.key,
      name: v.name,
      object: v.object,
      mapping: v.mapping,
      defaults: v.defaults,
      matchOn: v.match_on,
      secretSealed: sealSigningSecret(this.box, secret),
      previousSecretSealed: null,
      previousExpiresAt: null,
      ratePerMin: v.rate_per_min,
      createdAt: now,
      updatedAt: now,
    };
    const issues = checkHookFields(await loadFields(this.store, ctx.workspaceId, v.object), hook);
    if (issues.length > 0) throw invalid(issues);
    await requireFreeKey(this.store, v.key);
    if (!(await this.store.transaction((tx) => tx.hooks.insertInboundHook(hook)))) await requireFreeKey(this.store, v.key);
    return { hook, secret };
  }

  async update(ctx: CallContext, key: string, input: unknown): Promise<InboundHookRow> {
    const hook = await this.get(ctx, key);
    const parsed = patchSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const next: InboundHookRow = {
      ...hook,
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.mapping !== undefined ? { mapping: v.mapping } : {}),
      ...(v.defaults !== undefined ? { defaults: v.defaults } : {}),
      ...(v.match_on !== undefined ? { matchOn: v.match_on } : {}),
      ...(v.rate_per_min !== undefined ? { ratePerMin: v.rate_per_min } : {}),
      updatedAt: this.clock.now().toISOString(),
    };
    const issues = checkHookFields(await loadFields(this.store, ctx.workspaceId, next.object), next);
    if (issues.length > 0) throw invalid(issues);
    await this.store.transaction((tx) => tx.hooks.updateInboundHook(next));
    return next;
  }

  async delete(ctx: CallContext, key: string): Promise<void> {
    const hook = await this.get(ctx, key);
    if (!(await this.store.transaction((tx) => tx.hooks.deleteInboundHook(ctx.workspaceId, hook.id))))
      throw notFound(`inbound hook ${key}`);
  }

  /** A new secret, shown once; the current one becomes the previous, valid for 24 hours more. */
  async rotateSecret(ctx: CallContext, key: string): Promise<HookWithSecret> {
    const hook = await this.get(ctx, key);
    const now = this.clock.now();
    const secret = newSigningSecret();
    const next: InboundHookRow = {
      ...hook,
      secretSealed: sealSigningSecret(this.box, secret),
      previousSecretSealed: hook.secretSealed,
      previousExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS).toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.store.transaction((tx) => tx.hooks.updateInboundHook(next));
    return { hook: next, secret };
  }
}
