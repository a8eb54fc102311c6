/**
 * Status rules as admins manage them (issue 22; docs/data-quality.md "Status rules"): when a
 * record's status contradicts its data. List, read by name or id, create, change over the version
 * read (If-Match), delete. Every signed-in role reads them (the status accuracy KPI names the rule
 * a record breaks); changing one is for admins. Each save is checked against the object's fields
 * with paths — nothing is saved while there is a problem — and written to the configuration audit.
 */
import { z } from "zod";
import { type FieldDef, OBJECT_NAMES, type ObjectName } from "../../crm/fields.js";
import { conditionSchema } from "../../engine/definition.js";
import { type StatusRuleDefinition, statusRuleIssues } from "../../engine/status-rules.js";
import { zodIssues } from "../../engine/validate.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { StatusRuleRow } from "../../store/data-quality-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { conditionInWords } from "../workflows/condition-words.js";
import { requireDataQualityAdmin } from "./rules-admin.js";

/** What the API and the CLI accept: shapes only; `statusRuleIssues` checks the rule against the object's fields. */
export const statusRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).default("").describe("why the rule exists"),
    object: z.enum(OBJECT_NAMES),
    enabled: z.boolean().default(true),
    field: z.string().min(1).max(200).describe("the status field (a lead's status, a deal's stage)"),
    values: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1)
      .max(50)
      .describe("the statuses the rule is about"),
    requires: conditionSchema.describe("what the record's own fields must say while it has one of the statuses"),
  })
  .strict();

export type StatusRuleView = StatusRuleDefinition & {
  id: string;
  /** The rule in words: "status qualified requires owner is set". */
  summary: string;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
};

export function statusRuleSummary(d: StatusRuleDefinition): string {
  return `${d.field} ${d.values.map(String).join(" or ")} requires ${conditionInWords(d.requires)}`;
}

export function statusRuleView(row: StatusRuleRow): StatusRuleView {
  return {
    ...row.definition,
    id: row.id,
    summary: statusRuleSummary(row.definition),
    version: row.version,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
  };
}

const PARTS = ["name", "description", "enabled", "field", "values", "requires"] as const;

export class StatusRuleAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<StatusRuleView[]> {
    return (await this.store.dataQuality.listStatusRules(ctx.workspaceId)).map(statusRuleView);
  }

  async get(ctx: CallContext, idOrName: string): Promise<StatusRuleView> {
    return statusRuleView(await this.row(ctx, idOrName));
  }

  async create(ctx: CallContext, input: unknown): Promise<StatusRuleView> {
    requireDataQualityAdmin(ctx);
    const definition = await this.checked(ctx, input);
    const now = this.clock.now().toISOString();
    const row: StatusRuleRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      definition,
      version: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.dataQuality.insertStatusRule(row))) throw nameTaken("status rule", definition.name);
      await this.audit(tx, ctx, row, "create", { name: definition.name, object: definition.object, version: 1 });
    });
    return statusRuleView(row);
  }

  /** A change of any part but the object; a new version, which the next KPI read uses. */
  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<StatusRuleView> {
    requireDataQualityAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    const d = current.definition;
    checkExpectedVersion("status rule", d.name, current.version, expectedVersion);
    checkIncomingJson(input, []);
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw invalid([{ path: [], code: "invalid_type", message: "expected a JSON object of the parts to change", expected: "object" }]);
    const patch = input as Record<string, unknown>;
    if ("object" in patch && patch.object !== d.object)
      throw invalid([
        {
          path: ["object"],
          code: "invalid_value",
          message: `a status rule keeps its object (${d.object}); create another rule instead`,
          expected: [d.object],
        },
      ]);
    const definition = await this.checked(ctx, { ...d, ...patch });
    const row: StatusRuleRow = {
      ...current,
      definition,
      version: current.version + 1,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: ctx.actor.id,
    };
    const before = d as unknown as Record<string, unknown>;
    const after = definition as unknown as Record<string, unknown>;
    const changed = PARTS.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
    await this.store.transaction(async (tx) => {
      checkSaved("status rule", definition.name, await tx.dataQuality.updateStatusRule(row));
      await this.audit(tx, ctx, row, "update", {
        name: definition.name,
        version: row.version,
        changed,
        ...(d.name !== definition.name ? { renamed_from: d.name } : {}),
      });
    });
    return statusRuleView(row);
  }

  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireDataQualityAdmin(ctx);
    const r = await this.row(ctx, idOrName);
    await this.store.transaction(async (tx) => {
      if (!(await tx.dataQuality.deleteStatusRule(ctx.workspaceId, r.id))) throw notFound(`status rule ${idOrName}`);
      await this.audit(tx, ctx, r, "delete", { name: r.definition.name, version: r.version });
    });
  }

  private async row(ctx: CallContext, idOrName: string): Promise<StatusRuleRow> {
    const r = await this.store.dataQuality.getStatusRule(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`status rule ${idOrName}`);
    return r;
  }

  /** The input's shape, then the rule against the workspace's fields: every problem with its path, nothing saved. */
  private async checked(ctx: CallContext, input: unknown): Promise<StatusRuleDefinition> {
    checkIncomingJson(input, []);
    const parsed = statusRuleInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const definition: StatusRuleDefinition = parsed.data;
    const fields = new Map<ObjectName, readonly FieldDef[]>();
    fields.set(definition.object, await loadFields(this.store, ctx.workspaceId, definition.object));
    const issues = statusRuleIssues(definition, (o) => fields.get(o) ?? []);
    if (issues.length > 0) throw invalid(issues);
    return definition;
  }

  private async audit(tx: StoreTx, ctx: CallContext, r: StatusRuleRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, { entity: "status_rule", entityId: r.id, action, summary });
  }
}
