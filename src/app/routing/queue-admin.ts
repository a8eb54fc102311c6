/**
 * Queues as admins and managers manage them (docs/routing.md): members with weights and caps, a
 * strategy, availability and capacity switches, how open work is counted, and the fallback.
 * Everyone may read them (a rep sees which queues they are in); changing one needs
 * `manage_routing`. A change that may free someone releases held records at once.
 */
import type { Issue } from "../../crm/issues.js";
import { canAdmin } from "../../crm/permissions.js";
import { zodIssues } from "../../engine/validate.js";
import type { Store } from "../../store/ports.js";
import type { QueueRow } from "../../store/routing-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { workflowsNaming } from "../workflows/routing-uses.js";
import { queueNames, recordNames } from "./names.js";
import { checkFallback, checkLoad, checkMembers, RoutingWorld } from "./routing-checks.js";
import { type QueueInput, queueCreateSchema, queuePatchSchema } from "./routing-schemas.js";
import { type QueueView, queueView } from "./routing-views.js";

export function requireRoutingAdmin(ctx: CallContext): void {
  if (!canAdmin(ctx.role, "manage_routing"))
    throw new AppError("forbidden", `queues and rule sets are managed by admins and managers, not role ${ctx.role}`);
}

export class QueueAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Held records of the queue, released when someone is free (runtime/routing/hold-release.ts). */
    private readonly release: (workspaceId: string, queueId: string) => Promise<number>,
  ) {}

  async list(ctx: CallContext): Promise<QueueView[]> {
    const queues = await this.store.routing.listQueues(ctx.workspaceId);
    return this.views(ctx.workspaceId, queues);
  }

  async get(ctx: CallContext, idOrName: string): Promise<QueueView> {
    const [view] = await this.views(ctx.workspaceId, [await this.row(ctx, idOrName)]);
    if (!view) throw notFound(`queue ${idOrName}`);
    return view;
  }

  async holds(ctx: CallContext, idOrName: string) {
    const q = await this.row(ctx, idOrName);
    const holds = await this.store.routing.listHolds(ctx.workspaceId, q.id);
    const names = await recordNames(
      this.store,
      ctx.workspaceId,
      holds.map((h) => h.recordId),
    );
    // The object of each held record, so that a page can link to it (a queue may hold any object's records).
    const objects = new Map(
      (
        await this.store.records.getRecords(
          ctx.workspaceId,
          holds.map((h) => h.recordId),
        )
      ).map((r) => [r.id, r.object]),
    );
    return holds.map((h) => ({
      record_id: h.recordId,
      record_object: objects.get(h.recordId) ?? null,
      record_name: names(h.recordId) ?? h.recordId,
      field: h.field,
      held_at: h.heldAt,
      assignment_id: h.assignmentId,
    }));
  }

  async create(ctx: CallContext, input: unknown): Promise<QueueView> {
    requireRoutingAdmin(ctx);
    const parsed = queueCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const now = this.clock.now().toISOString();
    const row = await this.checked(ctx, { id: this.ids.next(), createdAt: now, version: 1 }, parsed.data, now);
    if (!(await this.store.transaction((tx) => tx.routing.insertQueue(row)))) throw nameTaken("queue", row.name);
    return this.get(ctx, row.id);
  }

  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<QueueView> {
    requireRoutingAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("queue", current.name, current.version, expectedVersion);
    const parsed = queuePatchSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const merged: QueueInput = {
      name: current.name,
      description: current.description,
      strategy: current.strategy,
      respect_availability: current.respectAvailability,
      respect_capacity: current.respectCapacity,
      load: current.load,
      fallback: current.fallback,
      members: current.members.map((m) => ({
        user_id: m.user_id,
        weight: m.weight,
        ...(m.capacity !== undefined ? { capacity: m.capacity } : {}),
      })),
      ...parsed.data,
    };
    const now = this.clock.now().toISOString();
    const row = await this.checked(ctx, { id: current.id, createdAt: current.createdAt, version: current.version + 1 }, merged, now);
    checkSaved("queue", row.name, await this.store.transaction((tx) => tx.routing.updateQueue(row)));
    // New members, more capacity or no longer respecting availability may free someone now.
    await this.release(ctx.workspaceId, row.id);
    return this.get(ctx, row.id);
  }

  /** Refused while a rule set, another queue's fallback or a live workflow sends records to it. */
  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireRoutingAdmin(ctx);
    const q = await this.row(ctx, idOrName);
    const users = [
      ...(await this.store.routing.listRuleSets(ctx.workspaceId))
        .filter((r) => [r.defaultTarget, ...r.rules.map((x) => x.target)].some((t) => t !== null && "queue" in t && t.queue === q.id))
        .map((r) => `rule set ${r.name}`),
      ...(await this.store.routing.listQueues(ctx.workspaceId))
        .filter((o) => o.id !== q.id && o.fallback !== null && "queue" in o.fallback && o.fallback.queue === q.id)
        .map((o) => `queue ${o.name}'s fallback`),
      ...(await workflowsNaming(this.store, ctx.workspaceId, "queue", q)),
    ];
    if (users.length > 0) throw new AppError("conflict", `queue ${q.name} is still used by ${users.join(", ")}`);
    await this.store.transaction((tx) => tx.routing.deleteQueue(ctx.workspaceId, q.id));
  }

  private async row(ctx: CallContext, idOrName: string): Promise<QueueRow> {
    const q = await this.store.routing.getQueue(ctx.workspaceId, idOrName);
    if (!q) throw notFound(`queue ${idOrName}`);
    return q;
  }

  private async checked(
    ctx: CallContext,
    keep: { id: string; createdAt: string; version: number },
    v: QueueInput,
    now: string,
  ): Promise<QueueRow> {
    const world = await RoutingWorld.load(this.store, ctx.workspaceId);
    const issues: Issue[] = [];
    await checkMembers(world, v.members, issues);
    const needsLoad = v.strategy === "least_loaded" ? "the least-loaded strategy" : v.respect_capacity ? "respecting capacity" : undefined;
    await checkLoad(world, v.load, needsLoad, issues);
    const fallback = await checkFallback(world, { id: keep.id, name: v.name }, v.fallback, issues);
    if (issues.length > 0) throw invalid(issues);
    return {
      workspaceId: ctx.workspaceId,
      id: keep.id,
      name: v.name,
      description: v.description,
      strategy: v.strategy,
      respectAvailability: v.respect_availability,
      respectCapacity: v.respect_capacity,
      load: v.load,
      fallback,
      members: v.members.map((m) => ({
        user_id: m.user_id,
        weight: m.weight,
        ...(m.capacity !== undefined ? { capacity: m.capacity } : {}),
      })),
      version: keep.version,
      createdAt: keep.createdAt,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
  }

  private async views(workspaceId: string, queues: readonly QueueRow[]): Promise<QueueView[]> {
    const names = await recordNames(
      this.store,
      workspaceId,
      queues.flatMap((q) => [...q.members.map((m) => m.user_id), ...(q.fallback && "user_id" in q.fallback ? [q.fallback.user_id] : [])]),
    );
    const qNames = await queueNames(this.store, workspaceId);
    const holds = await this.store.routing.listHolds(workspaceId);
    return queues.map((q) => queueView(q, names, qNames, holds.filter((h) => h.queueId === q.id).length));
  }
}
