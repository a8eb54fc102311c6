/**
 * Routing configuration against the workspace: every field a condition or a load names exists
 * on its object, every user, team and queue named exists, and queue fallbacks never go round in
 * a circle. Each problem names its path; nothing is saved while there is one. References are
 * resolved to ids here, so a renamed team or queue keeps its rules.
 */
import { findFallbackCycle } from "../../crm/assignment/index.js";
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import type { Issue, IssuePath } from "../../crm/issues.js";
import { Checker } from "../../engine/checker.js";
import type { StoreReads } from "../../store/ports.js";
import type { QueueFallbackSpec, QueueLoadSpec, QueueRow, RoutingTarget } from "../../store/routing-ports.js";
import { loadFields } from "../records/schema-cache.js";

/** What checks read, loaded once per request. */
export class RoutingWorld {
  private readonly fields = new Map<ObjectName, readonly FieldDef[]>();
  private constructor(
    private readonly reads: StoreReads,
    readonly workspaceId: string,
    readonly queues: QueueRow[],
  ) {}

  static async load(reads: StoreReads, workspaceId: string): Promise<RoutingWorld> {
    return new RoutingWorld(reads, workspaceId, await reads.routing.listQueues(workspaceId));
  }

  async preloadFields(objects: readonly ObjectName[]): Promise<void> {
    for (const o of objects) if (!this.fields.has(o)) this.fields.set(o, await loadFields(this.reads, this.workspaceId, o));
  }

  /** Fields of an object loaded by preloadFields (the checker is synchronous). */
  fieldsOf = (object: ObjectName): readonly FieldDef[] => this.fields.get(object) ?? [];

  queue(idOrName: string): QueueRow | undefined {
    return this.queues.find((q) => q.id === idOrName) ?? this.queues.find((q) => q.name === idOrName);
  }

  async user(id: string) {
    const r = await this.reads.records.getRecord(this.workspaceId, id);
    return r?.object === "user" ? r : undefined;
  }

  async team(idOrName: string) {
    const byId = await this.reads.records.getRecord(this.workspaceId, idOrName);
    if (byId?.object === "team") return byId;
    const [byName] = await this.reads.records.queryRecords({
      workspaceId: this.workspaceId,
      object: "team",
      filter: { field: { name: "name", type: "string", label: "name" }, op: "eq", value: idOrName },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 1,
    });
    return byName;
  }
}

/**
 * A target with its references resolved to ids; issues when one is unknown, in words an admin
 * can act on (the web app shows them beside the target picker).
 */
export async function resolveTarget(world: RoutingWorld, t: RoutingTarget, path: IssuePath, issues: Issue[]): Promise<RoutingTarget> {
  if ("user_id" in t) {
    if (!(await world.user(t.user_id)))
      issues.push({
        path: [...path, "user_id"],
        code: "not_found",
        message: `nobody in this workspace has the user id "${t.user_id}" — the person may have been removed; choose someone else`,
      });
    return t;
  }
  if ("team" in t) {
    const team = await world.team(t.team);
    if (!team) {
      issues.push({
        path: [...path, "team"],
        code: "not_found",
        message: `no team is called "${t.team}" or has that id — it may have been renamed or deleted; choose another team`,
      });
      return t;
    }
    return { team: team.id };
  }
  const q = world.queue(t.queue);
  if (!q) {
    const names = world.queues.map((x) => x.name);
    issues.push({
      path: [...path, "queue"],
      code: "not_found",
      message: `no queue is called "${t.queue}" or has that id — it may have been renamed or deleted; ${
        names.length > 0 ? `choose one of: ${names.join(", ")}` : "this workspace has no queues yet"
      }`,
      expected: names,
    });
    return t;
  }
  return { queue: q.id };
}

export async function checkMembers(world: RoutingWorld, members: ReadonlyArray<{ user_id: string }>, issues: Issue[]): Promise<void> {
  const seen = new Set<string>();
  for (const [i, m] of members.entries()) {
    if (seen.has(m.user_id))
      issues.push({ path: ["members", i, "user_id"], code: "invalid_value", message: `${m.user_id} is a member twice` });
    seen.add(m.user_id);
    if (!(await world.user(m.user_id)))
      issues.push({ path: ["members", i, "user_id"], code: "not_found", message: `no user "${m.user_id}"` });
  }
}

export async function checkLoad(
  world: RoutingWorld,
  load: QueueLoadSpec | null,
  needsLoad: string | undefined,
  issues: Issue[],
): Promise<void> {
  if (load === null) {
    if (needsLoad)
      issues.push({
        path: ["load"],
        code: "required",
        message: `${needsLoad} needs a load: how open work is counted ({object, owner_field, where})`,
      });
    return;
  }
  await world.preloadFields([load.object]);
  const ck = new Checker(world.fieldsOf, load.object);
  const owner = ck.field(load.owner_field, ["load", "owner_field"], load.object, false);
  if (owner && !(owner.type === "reference" && (owner.references ?? []).includes("user")))
    ck.push(["load", "owner_field"], "invalid_value", `"${load.owner_field}" is not a reference to a user`);
  if (load.where) ck.condition(load.where, ["load", "where"]);
  issues.push(...ck.issues);
}

/** The fallback resolved to ids, and a cycle through the queues as they would be after this save. */
export async function checkFallback(
  world: RoutingWorld,
  self: { id: string; name: string },
  fallback: QueueFallbackSpec | null,
  issues: Issue[],
): Promise<QueueFallbackSpec | null> {
  if (fallback === null || "hold" in fallback) return fallback;
  if ("user_id" in fallback) {
    if (!(await world.user(fallback.user_id)))
      issues.push({ path: ["fallback", "user_id"], code: "not_found", message: `no user "${fallback.user_id}"` });
    return fallback;
  }
  const target = fallback.queue === self.name || fallback.queue === self.id ? self : world.queue(fallback.queue);
  if (!target) {
    issues.push({
      path: ["fallback", "queue"],
      code: "not_found",
      message: `no queue "${fallback.queue}"`,
      expected: world.queues.map((q) => q.name),
    });
    return fallback;
  }
  const resolved = { queue: target.id };
  const after = [...world.queues.filter((q) => q.id !== self.id), { id: self.id, fallback: resolved }].map((q) => ({
    id: q.id,
    fallback: q.fallback && "queue" in q.fallback ? { queue: q.fallback.queue } : undefined,
  }));
  const cycle = findFallbackCycle(after);
  if (cycle) {
    const names = cycle.map((id) => (id === self.id ? self.name : (world.queue(id)?.name ?? id)));
    issues.push({
      path: ["fallback", "queue"],
      code: "invalid_value",
      message: `queue fallbacks would go round in a circle: ${names.join(" → ")}`,
    });
  }
  return resolved;
}
