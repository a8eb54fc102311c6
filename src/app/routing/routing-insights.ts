/**
 * What routing did and would do: a record's assignment reasons, the distribution per queue and
 * member over the last days (the chart), and the simulation of a rule set over recent records.
 *
 * The simulation runs the real router — same rules, same queue states, same availability and
 * loads, each decision seeing the ones before it — inside a transaction that is always rolled
 * back, so it writes nothing (runtime/routing/simulation.ts; the row counts before and after
 * are equal, a test checks).
 */
import { type FieldDef, SYSTEM_FIELDS } from "../../crm/fields.js";
import type { CheckedFilter } from "../../crm/filter.js";
import { zodIssues } from "../../engine/validate.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import type { AssignmentRow, RuleSetRow } from "../../store/routing-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock } from "../ports.js";
import { queueNames, recordNames } from "./names.js";
import { requireRoutingAdmin } from "./queue-admin.js";
import { simulateSchema } from "./routing-schemas.js";
import { type AssignmentView, assignmentView } from "./routing-views.js";

const CREATED_AT = SYSTEM_FIELDS.find((f) => f.name === "created_at") as FieldDef;

/**
 * Runs the router over the records without writing anything (runtime/routing/simulation.ts):
 * the decisions, or why the rule set cannot route (a queue it names is gone).
 */
export type SimulateDecisions = (
  ruleSet: RuleSetRow,
  records: readonly StoredRecord[],
) => Promise<{ ok: true; decisions: AssignmentRow[] } | { ok: false; why: string }>;

export class RoutingInsights {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly simulateDecisions: SimulateDecisions,
    /** The same router, its decisions kept (runtime/routing/simulation.ts, routingBatch). */
    private readonly applyDecisions: SimulateDecisions,
  ) {}

  /** Assigns now, through the rule set, the records without an owner among the last N of its object. */
  async applyToUnowned(ctx: CallContext, ruleSetName: string, input: unknown) {
    requireRoutingAdmin(ctx);
    const { ruleSet, records } = await this.recentRecords(ctx, ruleSetName, input);
    const unowned = records.filter((r) => (r.data[ruleSet.field] ?? null) === null);
    const result = await this.applyDecisions(ruleSet, unowned);
    if (!result.ok) throw new AppError("conflict", `rule set ${ruleSet.name} cannot route: ${result.why}`);
    const decisions = await this.views(ctx.workspaceId, result.decisions);
    const count = (o: string) => decisions.filter((d) => d.outcome === o).length;
    return { assigned: count("assigned"), held: count("held"), failed: count("failed"), decisions };
  }

  async assignmentsOf(ctx: CallContext, recordId: string, limit = 20): Promise<AssignmentView[]> {
    const record = await this.store.records.getRecord(ctx.workspaceId, recordId);
    if (!record) throw notFound(`record ${recordId}`);
    return this.views(ctx.workspaceId, await this.store.routing.assignmentsOf(ctx.workspaceId, recordId, limit));
  }

  async recent(ctx: CallContext, limit = 50): Promise<AssignmentView[]> {
    return this.views(ctx.workspaceId, await this.store.routing.recentAssignments(ctx.workspaceId, limit));
  }

  /** Assignments per queue and member since `days` ago (held and failed counted apart). */
  async distribution(ctx: CallContext, days: number) {
    const since = new Date(this.clock.now().getTime() - days * 86_400_000).toISOString();
    const rows = await this.store.routing.distribution(ctx.workspaceId, since);
    const names = await recordNames(
      this.store,
      ctx.workspaceId,
      rows.flatMap((r) => (r.userId ? [r.userId] : [])),
    );
    const qNames = await queueNames(this.store, ctx.workspaceId);
    const byQueue = new Map<
      string,
      {
        queue_id: string | null;
        queue_name: string;
        members: Map<string, { user_id: string; name: string; count: number }>;
        held: number;
        failed: number;
      }
    >();
    for (const r of rows) {
      const key = r.queueId ?? "";
      let q = byQueue.get(key);
      if (!q) {
        q = {
          queue_id: r.queueId,
          queue_name: r.queueId ? (qNames(r.queueId) ?? r.queueId) : "not through a queue",
          members: new Map(),
          held: 0,
          failed: 0,
        };
        byQueue.set(key, q);
      }
      if (r.outcome === "held") q.held += r.count;
      else if (r.outcome === "failed") q.failed += r.count;
      else if (r.userId) {
        const m = q.members.get(r.userId) ?? { user_id: r.userId, name: names(r.userId) ?? r.userId, count: 0 };
        m.count += r.count;
        q.members.set(r.userId, m);
      }
    }
    return {
      since,
      days,
      queues: [...byQueue.values()]
        .map((q) => ({ ...q, members: [...q.members.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)) }))
        .sort((a, b) => a.queue_name.localeCompare(b.queue_name)),
    };
  }

  /** The rule set and the last N records of its object (in a window), oldest first. */
  private async recentRecords(ctx: CallContext, ruleSetName: string, input: unknown) {
    const parsed = simulateSchema.safeParse(input ?? {});
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const ruleSet = await this.store.routing.getRuleSet(ctx.workspaceId, ruleSetName);
    if (!ruleSet) throw notFound(`rule set ${ruleSetName}`);
    const created = CREATED_AT;
    const bounds: CheckedFilter[] = [
      ...(v.since ? [{ field: created, op: "gte" as const, value: v.since }] : []),
      ...(v.until ? [{ field: created, op: "lt" as const, value: v.until }] : []),
    ];
    const records = await this.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object: ruleSet.object,
      ...(bounds.length > 0 ? { filter: { and: bounds } } : {}),
      sort: { field: created, direction: "desc" },
      limit: v.last,
    });
    records.reverse();
    return { ruleSet, records };
  }

  async simulate(ctx: CallContext, ruleSetName: string, input: unknown) {
    requireRoutingAdmin(ctx);
    const { ruleSet, records } = await this.recentRecords(ctx, ruleSetName, input);
    const result = await this.simulateDecisions(ruleSet, records);
    if (!result.ok) throw new AppError("conflict", `rule set ${ruleSet.name} cannot route: ${result.why}`);
    const decisions = result.decisions;
    const views = await this.views(ctx.workspaceId, decisions);
    const perMember = new Map<string, { user_id: string; name: string; count: number }>();
    for (const d of views)
      if (d.outcome === "assigned" && d.user_id) {
        const m = perMember.get(d.user_id) ?? { user_id: d.user_id, name: d.user_name ?? d.user_id, count: 0 };
        m.count++;
        perMember.set(d.user_id, m);
      }
    const perRule = new Map<string, number>();
    for (const d of views) perRule.set(d.matched_rule ?? "(default target)", (perRule.get(d.matched_rule ?? "(default target)") ?? 0) + 1);
    return {
      rule_set: { id: ruleSet.id, name: ruleSet.name, version: ruleSet.version, object: ruleSet.object },
      records: views.length,
      per_member: [...perMember.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      per_rule: [...perRule.entries()].map(([rule, count]) => ({ rule, count })),
      fallback: views.filter((d) => d.outcome !== "assigned" || d.fallbacks.length > 0),
      decisions: views,
    };
  }

  private async views(workspaceId: string, rows: readonly AssignmentRow[]): Promise<AssignmentView[]> {
    const names = await recordNames(
      this.store,
      workspaceId,
      rows.flatMap((a) => [a.recordId, ...(a.userId ? [a.userId] : [])]),
    );
    return rows.map((a) => assignmentView(a, names));
  }
}
