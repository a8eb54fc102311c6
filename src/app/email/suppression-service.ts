/**
 * The email suppression list as people manage it (API, CLI) and as unsubscribe links use it.
 * Adding a bounce or unsubscribe marks the matching leads and contacts; removing a suppression
 * marks them valid again. Every write is one transaction with its record changes.
 */
import { z } from "zod";
import type { FieldDef } from "../../crm/fields.js";
import { checkValue } from "../../crm/values.js";
import { zodIssues } from "../../engine/validate.js";
import type { Store } from "../../store/ports.js";
import { type EmailSuppression, SUPPRESSION_REASONS } from "../../store/suppression-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import { markEmailStatus } from "./email-status.js";
import type { UnsubscribeTokens } from "./unsubscribe-tokens.js";

const EMAIL_FIELD: FieldDef = { name: "email", type: "email", label: "Email" };

const addSchema = z
  .object({
    email: z.string(),
    reason: z.enum(SUPPRESSION_REASONS).default("manual"),
    detail: z.string().max(1_000).optional(),
  })
  .strict();

const STATUS_OF = { bounce: "bouncing", unsubscribe: "unsubscribed" } as const;

function canRead(ctx: CallContext) {
  if (ctx.role === "rep") throw new AppError("not_found", "the suppression list is for admins, managers and integrations");
}
function canWrite(ctx: CallContext) {
  if (ctx.role !== "admin" && ctx.role !== "manager")
    throw new AppError("not_found", "the suppression list is managed by admins and managers");
}

/** A well-formed address, lower-cased; a 422 naming `path` otherwise. */
function address(value: unknown, path: string): string {
  const r = checkValue(EMAIL_FIELD, typeof value === "string" ? value.trim() : value);
  if (!r.ok) throw invalid([{ path: [path], ...r.issue }]);
  return String(r.value).toLowerCase();
}

export class SuppressionService {
  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    private readonly tokens: UnsubscribeTokens,
    /** Where this installation is reached from outside (links in emails). */
    private readonly publicUrl: string,
  ) {}

  async list(ctx: CallContext, limit = 100, after?: string): Promise<EmailSuppression[]> {
    canRead(ctx);
    return this.store.suppressions.listSuppressions(ctx.workspaceId, Math.min(Math.max(limit, 1), 1_000), after);
  }

  async get(ctx: CallContext, email: string): Promise<EmailSuppression> {
    canRead(ctx);
    const found = await this.store.suppressions.getSuppression(ctx.workspaceId, address(email, "email"));
    if (!found) throw notFound(`suppression of ${email}`);
    return found;
  }

  /** Adds a suppression; `created` is false when the address was suppressed already (the first reason stays). */
  async add(ctx: CallContext, input: unknown): Promise<{ created: boolean; suppression: EmailSuppression }> {
    canWrite(ctx);
    const parsed = addSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const email = address(parsed.data.email, "email");
    const row: EmailSuppression = {
      workspaceId: ctx.workspaceId,
      email,
      reason: parsed.data.reason,
      detail: parsed.data.detail ?? null,
      createdAt: this.clock.now().toISOString(),
    };
    return this.suppress(ctx, row);
  }

  async remove(ctx: CallContext, email: string): Promise<void> {
    canWrite(ctx);
    const normal = address(email, "email");
    await this.withCommit(async () => {
      await this.store.transaction(async (tx) => {
        if (!(await tx.suppressions.removeSuppression(ctx.workspaceId, normal))) throw notFound(`suppression of ${normal}`);
        await markEmailStatus(tx, this.writer, ctx, normal, "valid", ["bouncing", "unsubscribed"]);
      });
    });
  }

  /** The public unsubscribe link of an address; undefined without a master key to sign it. */
  unsubscribeUrl(workspaceId: string, email: string): string | undefined {
    const token = this.tokens.sign(workspaceId, email);
    return token ? `${this.publicUrl.replace(/\/+$/, "")}/unsubscribe/${token}` : undefined;
  }

  /** The address a link is for, if the token is genuine and its workspace exists. */
  async checkToken(token: string): Promise<{ workspaceId: string; email: string } | undefined> {
    const subject = this.tokens.verify(token);
    if (!subject || !(await this.store.workspaces.getWorkspace(subject.workspaceId))) return undefined;
    return subject;
  }

  /** What following an unsubscribe link does; undefined for a bad token (nothing is told about why). */
  async unsubscribe(token: string): Promise<{ email: string } | undefined> {
    const subject = await this.checkToken(token);
    if (!subject) return undefined;
    const ctx: CallContext = {
      workspaceId: subject.workspaceId,
      role: "admin",
      actor: { kind: "system", id: "unsubscribe-link" },
      requestId: null,
      causeId: null,
    };
    await this.suppress(ctx, {
      workspaceId: subject.workspaceId,
      email: subject.email,
      reason: "unsubscribe",
      detail: "unsubscribe link",
      createdAt: this.clock.now().toISOString(),
    });
    return { email: subject.email };
  }

  private async suppress(ctx: CallContext, row: EmailSuppression) {
    return this.withCommit(() =>
      this.store.transaction(async (tx) => {
        const created = await tx.suppressions.addSuppression(row);
        const status = row.reason === "manual" ? undefined : STATUS_OF[row.reason];
        if (status) await markEmailStatus(tx, this.writer, ctx, row.email, status);
        const suppression = created ? row : await tx.suppressions.getSuppression(row.workspaceId, row.email);
        return { created, suppression: suppression ?? row };
      }),
    );
  }

  /** Record changes committed here have events for the worker, like any other write. */
  private async withCommit<T>(fn: () => Promise<T>): Promise<T> {
    const result = await fn();
    this.writer.onCommit();
    return result;
  }
}
