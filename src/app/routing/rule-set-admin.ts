/**
 * Assignment rule sets (docs/routing.md): per object, rules in priority order — the first whose
 * condition holds names the target (a user, a team, a queue) — and a default target. Conditions
 * are the workflow condition language, checked against the object's fields like a workflow's at
 * publish. A rule set can run on every create of its object, without a workflow.
 */
import { OBJECT_NAMES } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { Checker } from "../../engine/checker.js";
import { zodIssues } from "../../engine/validate.js";
import type { Store } from "../../store/ports.js";
import type { RoutingRule, RuleSetRow } from "../../store/routing-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { workflowsNaming } from "../workflows/routing-uses.js";
import { queueNames, recordNames } from "./names.js";
import { requireRoutingAdmin } from "./queue-admin.js";
import { RoutingWorld, resolveTarget } from "./routing-checks.js";
import { type RuleSetInput, ruleSetCreateSchema, ruleSetPatchSchema } from "./routing-schemas.js";
import { type RuleSetView, ruleSetView } from "./routing-views.js";

export class RuleSetAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Called after every change: create-time rule sets are cached by the matcher's hook. */
    private readonly changed: () => void,
  ) {}

  async list(ctx: CallContext): Promise<RuleSetView[]> {
    return this.views(ctx.workspaceId, await this.store.routing.listRuleSets(ctx.workspaceId));
  }

  async get(ctx: CallContext, idOrName: string): Promise<RuleSetView> {
    const [view] = await this.views(ctx.workspaceId, [await this.row(ctx, idOrName)]);
    if (!view) throw notFound(`rule set ${idOrName}`);
    return view;
  }

  async row(ctx: CallContext, idOrName: string): Promise<RuleSetRow> {
    const r = await this.store.routing.getRuleSet(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`rule set ${idOrName}`);
    return r;
  }

  async create(ctx: CallContext, input: unknown): Promise<RuleSetView> {
    requireRoutingAdmin(ctx);
    const parsed = ruleSetCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const now = this.clock.now().toISOString();
    const row = await this.checked(ctx, { id: this.ids.next(), createdAt: now, version: 1 }, parsed.data, now);
    if (!(await this.store.transaction((tx) => tx.routing.insertRuleSet(row)))) throw nameTaken("rule set", row.name);
    this.changed();
    return this.get(ctx, row.id);
  }

  /** Reordering is an update with the rules in their new order. */
  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<RuleSetView> {
    requireRoutingAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("rule set", current.name, current.version, expectedVersion);
    const parsed = ruleSetPatchSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const merged: RuleSetInput = {
      name: current.name,
      description: current.description,
      object: current.object,
      field: current.field,
      on_create: current.onCreate,
      rules: current.rules,
      default_target: current.defaultTarget,
      ...parsed.data,
    };
    const now = this.clock.now().toISOString();
    const row = await this.checked(ctx, { id: current.id, createdAt: current.createdAt, version: current.version + 1 }, merged, now);
    checkSaved("rule set", row.name, await this.store.transaction((tx) => tx.routing.updateRuleSet(row)));
    this.changed();
    return this.get(ctx, row.id);
  }

  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireRoutingAdmin(ctx);
    const r = await this.row(ctx, idOrName);
    const users = await workflowsNaming(this.store, ctx.workspaceId, "rule_set", r);
    if (users.length > 0) throw new AppError("conflict", `rule set ${r.name} is still used by ${users.join(", ")}`);
    await this.store.transaction((tx) => tx.routing.deleteRuleSet(ctx.workspaceId, r.id));
    this.changed();
  }

  private async checked(
    ctx: CallContext,
    keep: { id: string; createdAt: string; version: number },
    v: RuleSetInput,
    now: string,
  ): Promise<RuleSetRow> {
    const world = await RoutingWorld.load(this.store, ctx.workspaceId);
    // Conditions may name fields of referenced and counted records: every object's fields are at hand.
    await world.preloadFields(OBJECT_NAMES);
    const ck = new Checker(world.fieldsOf, v.object);
    const field = ck.field(v.field, ["field"], v.object, false);
    if (field && !(field.type === "reference" && (field.references ?? []).includes("user")))
      ck.push(["field"], "invalid_value", `"${v.field}" is not a reference to a user`);
    const issues: Issue[] = [];
    const rules: RoutingRule[] = [];
    const ids = new Set<string>();
    for (const [i, rule] of v.rules.entries()) {
      ck.condition(rule.when, ["rules", i, "when"]);
      const id = rule.id ?? `rule-${i + 1}`;
      if (ids.has(id)) issues.push({ path: ["rules", i, "id"], code: "invalid_value", message: `rule id "${id}" is used twice` });
      ids.add(id);
      rules.push({ id, name: rule.name, when: rule.when, target: await resolveTarget(world, rule.target, ["rules", i, "target"], issues) });
    }
    const defaultTarget = v.default_target === null ? null : await resolveTarget(world, v.default_target, ["default_target"], issues);
    issues.unshift(...ck.issues);
    if (issues.length > 0) throw invalid(issues);
    return {
      workspaceId: ctx.workspaceId,
      id: keep.id,
      name: v.name,
      description: v.description,
      object: v.object,
      field: v.field,
      onCreate: v.on_create,
      rules,
      defaultTarget,
      version: keep.version,
      createdAt: keep.createdAt,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
  }

  private async views(workspaceId: string, sets: readonly RuleSetRow[]): Promise<RuleSetView[]> {
    const userIds = sets
      .flatMap((s) => [s.defaultTarget, ...s.rules.map((r) => r.target)])
      .flatMap((t) => (t && "user_id" in t ? [t.user_id] : t && "team" in t ? [t.team] : []));
    const names = await recordNames(this.store, workspaceId, userIds);
    const qNames = await queueNames(this.store, workspaceId);
    return sets.map((s) => ruleSetView(s, names, qNames));
  }
}
