/**
 * Validation rules and stage gates as admins manage them (docs/data-quality.md "Validation
 * rules", "Stage gates"): list, read by name or id, create, change over the version read
 * (If-Match), delete. Every signed-in role reads them (a rep sees why a write was refused);
 * changing one is for admins. Each save is checked against the object's fields with paths and
 * nothing is saved while there is a problem; each change moves the workspace's data-quality epoch
 * (the write path compiles the rules again) and is written to the configuration audit.
 */
import { type FieldDef, OBJECT_NAMES, type ObjectName } from "../../crm/fields.js";
import { canAdmin } from "../../crm/permissions.js";
import { type RuleDefinition, ruleIssues } from "../../engine/rules.js";
import { zodIssues } from "../../engine/validate.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { ValidationRuleRow } from "../../store/data-quality-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { ruleInputSchema, toRuleDefinition } from "./rule-schemas.js";
import { type RuleView, ruleView } from "./rule-views.js";

export function requireDataQualityAdmin(ctx: CallContext): void {
  if (!canAdmin(ctx.role, "manage_data_quality"))
    throw new AppError("forbidden", `validation rules and formats are managed by admins, not role ${ctx.role}`);
}

/** The parts of a rule, as the audit names what changed. */
const PARTS = ["name", "description", "action", "enabled", "message", "when", "field", "to", "requires", "shown_on"] as const;

export class ValidationRuleAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<RuleView[]> {
    return (await this.store.dataQuality.listValidationRules(ctx.workspaceId)).map(ruleView);
  }

  async get(ctx: CallContext, idOrName: string): Promise<RuleView> {
    return ruleView(await this.row(ctx, idOrName));
  }

  async create(ctx: CallContext, input: unknown): Promise<RuleView> {
    requireDataQualityAdmin(ctx);
    const definition = await this.checked(ctx, input);
    const now = this.clock.now().toISOString();
    const row: ValidationRuleRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      definition,
      version: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.dataQuality.insertValidationRule(row))) throw nameTaken("validation rule", definition.name);
      await this.audit(tx, ctx, row, "create", { name: definition.name, kind: definition.kind, object: definition.object, version: 1 });
    });
    return ruleView(row);
  }

  /** A change of any part but the kind and the object; `shown_on: null` unsets it. A new version, which the next write uses. */
  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<RuleView> {
    requireDataQualityAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    const d = current.definition;
    checkExpectedVersion("validation rule", d.name, current.version, expectedVersion);
    checkIncomingJson(input, []);
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw invalid([{ path: [], code: "invalid_type", message: "expected a JSON object of the parts to change", expected: "object" }]);
    const patch = input as Record<string, unknown>;
    for (const key of ["kind", "object"] as const)
      if (key in patch && patch[key] !== d[key])
        throw invalid([
          {
            path: [key],
            code: "invalid_value",
            message: `a rule keeps its ${key} (${d[key]}); create another rule instead`,
            expected: [d[key]],
          },
        ]);
    const merged: Record<string, unknown> = { ...d, ...patch };
    if (merged.shown_on === null) delete merged.shown_on;
    const definition = await this.checked(ctx, merged);
    const row: ValidationRuleRow = {
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
      checkSaved("validation rule", definition.name, await tx.dataQuality.updateValidationRule(row));
      await this.audit(tx, ctx, row, "update", {
        name: definition.name,
        version: row.version,
        changed,
        ...(d.name !== definition.name ? { renamed_from: d.name } : {}),
      });
    });
    return ruleView(row);
  }

  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireDataQualityAdmin(ctx);
    const r = await this.row(ctx, idOrName);
    await this.store.transaction(async (tx) => {
      if (!(await tx.dataQuality.deleteValidationRule(ctx.workspaceId, r.id))) throw notFound(`validation rule ${idOrName}`);
      await this.audit(tx, ctx, r, "delete", { name: r.definition.name, version: r.version });
    });
  }

  private async row(ctx: CallContext, idOrName: string): Promise<ValidationRuleRow> {
    const r = await this.store.dataQuality.getValidationRule(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`validation rule ${idOrName}`);
    return r;
  }

  /** The input's shape, then the rule against the workspace's fields: every problem with its path, nothing saved. */
  private async checked(ctx: CallContext, input: unknown): Promise<RuleDefinition> {
    checkIncomingJson(input, []);
    const parsed = ruleInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const definition = toRuleDefinition(parsed.data);
    // Conditions may name fields of referenced records: every object's fields are at hand.
    const fields = new Map<ObjectName, readonly FieldDef[]>();
    for (const o of OBJECT_NAMES) fields.set(o, await loadFields(this.store, ctx.workspaceId, o));
    const issues = ruleIssues(definition, (o) => fields.get(o) ?? []);
    if (issues.length > 0) throw invalid(issues);
    return definition;
  }

  private async audit(tx: StoreTx, ctx: CallContext, r: ValidationRuleRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "validation_rule",
      entityId: r.id,
      action,
      summary: summary,
    });
  }
}
