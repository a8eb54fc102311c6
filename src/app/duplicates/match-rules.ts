/**
 * Match rules as admins manage them (docs/data-quality.md, "Matching and duplicates"): create,
 * read by name or id, list, change over the version read (If-Match), delete. Every signed-in role
 * reads them (a rep sees why a create was refused); changing one is for admins. Every change is
 * written to the configuration audit. Bad input is refused with its path and nothing is saved.
 */
import { isObjectName } from "../../crm/fields.js";
import { zodIssues } from "../../engine/validate.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { MatchRuleRow } from "../../store/duplicate-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { matchRuleIssues } from "./match-rule-checks.js";
import { type MatchRuleSpec, matchRuleCreateSchema, matchRulePatchSchema } from "./match-rule-schemas.js";

export interface MatchRuleView extends MatchRuleSpec {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export const matchRuleView = (r: MatchRuleRow): MatchRuleView => ({
  id: r.id,
  ...(r.definition as MatchRuleSpec),
  name: r.name,
  enabled: r.enabled,
  version: r.version,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

/** Match rules decide which writes are refused or merged: admins set them. */
export function requireMatchAdmin(ctx: CallContext): void {
  if (ctx.role !== "admin") throw new AppError("forbidden", `match rules are managed by admins, not role ${ctx.role}`);
}

export class MatchRuleAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext, object?: string): Promise<MatchRuleView[]> {
    if (object !== undefined && !isObjectName(object)) throw notFound(`object ${object}`);
    return (await this.store.duplicates.listMatchRules(ctx.workspaceId, object)).map(matchRuleView);
  }

  async get(ctx: CallContext, idOrName: string): Promise<MatchRuleView> {
    return matchRuleView(await this.row(ctx, idOrName));
  }

  async create(ctx: CallContext, input: unknown): Promise<MatchRuleView> {
    requireMatchAdmin(ctx);
    checkIncomingJson(input, []);
    const parsed = matchRuleCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const spec: MatchRuleSpec = { ...parsed.data, compare_with: parsed.data.compare_with ?? [parsed.data.object] };
    await this.check(ctx, spec);
    const now = this.clock.now().toISOString();
    const row = this.toRow(ctx, spec, { id: this.ids.next(), createdAt: now, version: 1 }, now);
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      if (!(await tx.duplicates.insertMatchRule(row))) throw nameTaken("match rule", row.name);
      await this.audit(tx, ctx, row, "create", { name: row.name, object: spec.object, action: spec.action, enabled: spec.enabled });
    });
    return matchRuleView(row);
  }

  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<MatchRuleView> {
    requireMatchAdmin(ctx);
    checkIncomingJson(input, []);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("match rule", current.name, current.version, expectedVersion);
    const patch = matchRulePatchSchema.safeParse(input);
    if (!patch.success) throw invalid(zodIssues(patch.error.issues));
    const before = matchRuleView(current);
    const { id: _id, version: _v, created_at: _c, updated_at: _u, updated_by: _b, ...was } = before;
    const spec: MatchRuleSpec = { ...was, ...patch.data };
    await this.check(ctx, spec);
    const now = this.clock.now().toISOString();
    const row = this.toRow(ctx, spec, { id: current.id, createdAt: current.createdAt, version: current.version + 1 }, now);
    const changed = (Object.keys(spec) as Array<keyof MatchRuleSpec>).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(spec[k]));
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      checkSaved("match rule", row.name, await tx.duplicates.updateMatchRule(row));
      await this.audit(tx, ctx, row, "update", { name: row.name, changed, version: row.version });
    });
    return matchRuleView(row);
  }

  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireMatchAdmin(ctx);
    const r = await this.row(ctx, idOrName);
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      if (!(await tx.duplicates.deleteMatchRule(ctx.workspaceId, r.id))) throw notFound(`match rule ${idOrName}`);
      await this.audit(tx, ctx, r, "delete", { name: r.name, object: r.object });
    });
  }

  private async row(ctx: CallContext, idOrName: string): Promise<MatchRuleRow> {
    const r = await this.store.duplicates.getMatchRule(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`match rule ${idOrName}`);
    return r;
  }

  private async check(ctx: CallContext, spec: MatchRuleSpec): Promise<void> {
    const issues = matchRuleIssues(spec, await loadFields(this.store, ctx.workspaceId, spec.object));
    if (issues.length > 0) throw invalid(issues);
  }

  /** Rule writes of a workspace one at a time: names stay unique under concurrent saves. */
  private lock(tx: StoreTx, ctx: CallContext): Promise<void> {
    return tx.lockKey(`match-rules:${ctx.workspaceId}`);
  }

  private toRow(
    ctx: CallContext,
    spec: MatchRuleSpec,
    keep: { id: string; createdAt: string; version: number },
    now: string,
  ): MatchRuleRow {
    return {
      workspaceId: ctx.workspaceId,
      id: keep.id,
      name: spec.name,
      object: spec.object,
      enabled: spec.enabled,
      definition: spec,
      version: keep.version,
      createdAt: keep.createdAt,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
  }

  private async audit(tx: StoreTx, ctx: CallContext, r: MatchRuleRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "match_rule",
      entityId: r.id,
      action,
      summary: summary,
    });
  }
}
