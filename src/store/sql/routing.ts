/** Queues, their state and holds, rule sets and assignment reasons (routing-ports.ts). */
import type { Kysely } from "kysely";
import type { QueueState, QueueStrategyName } from "../../crm/assignment/index.js";
import type { ObjectName } from "../../crm/fields.js";
import type {
  AssignmentRow,
  DistributionRow,
  HoldRow,
  QueueFallbackSpec,
  QueueLoadSpec,
  QueueMemberSpec,
  QueueRow,
  RoutingRule,
  RoutingTarget,
  RuleSetRow,
  VersionedUpdate,
} from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { AssignmentRuleSetsTable, AssignmentsTable, Database, QueueHoldsTable, QueuesTable } from "./schema.js";

type Db = Kysely<Database>;

const toQueue = (d: SqlDialect, r: QueuesTable): QueueRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  name: r.name,
  description: r.description,
  strategy: r.strategy as QueueStrategyName,
  respectAvailability: Number(r.respect_availability) === 1,
  respectCapacity: Number(r.respect_capacity) === 1,
  load: (d.parseJson(r.load) as QueueLoadSpec | null) ?? null,
  fallback: (d.parseJson(r.fallback) as QueueFallbackSpec | null) ?? null,
  members: d.parseJson(r.members) as QueueMemberSpec[],
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const queueColumns = (d: SqlDialect, q: QueueRow) => ({
  name: q.name,
  description: q.description,
  strategy: q.strategy,
  respect_availability: q.respectAvailability ? 1 : 0,
  respect_capacity: q.respectCapacity ? 1 : 0,
  load: q.load === null ? null : d.json(q.load),
  fallback: q.fallback === null ? null : d.json(q.fallback),
  members: d.json(q.members),
  version: q.version,
  updated_at: q.updatedAt,
  updated_by: q.updatedBy,
});

const toRuleSet = (d: SqlDialect, r: AssignmentRuleSetsTable): RuleSetRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  name: r.name,
  description: r.description,
  object: r.object as ObjectName,
  field: r.field,
  onCreate: Number(r.on_create) === 1,
  rules: d.parseJson(r.rules) as RoutingRule[],
  defaultTarget: (d.parseJson(r.default_target) as RoutingTarget | null) ?? null,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const ruleSetColumns = (d: SqlDialect, r: RuleSetRow) => ({
  name: r.name,
  description: r.description,
  object: r.object,
  field: r.field,
  on_create: r.onCreate ? 1 : 0,
  rules: d.json(r.rules),
  default_target: r.defaultTarget === null ? null : d.json(r.defaultTarget),
  version: r.version,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

/** The parts of an assignment kept in its `reason` JSON. */
type Reason = Pick<
  AssignmentRow,
  "previousUserId" | "source" | "ruleSet" | "rules" | "matchedRule" | "target" | "queue" | "candidates" | "detail" | "fallbacks" | "why"
>;

const toAssignment = (d: SqlDialect, r: AssignmentsTable): AssignmentRow => {
  const reason = d.parseJson(r.reason) as Reason;
  return {
    workspaceId: r.workspace_id,
    id: r.id,
    recordId: r.record_id,
    object: r.object as ObjectName,
    field: r.field,
    at: r.at,
    outcome: r.outcome as AssignmentRow["outcome"],
    userId: r.user_id,
    ...reason,
  };
};

const toHold = (r: QueueHoldsTable): HoldRow => ({
  workspaceId: r.workspace_id,
  queueId: r.queue_id,
  recordId: r.record_id,
  field: r.field,
  heldAt: r.held_at,
  assignmentId: r.assignment_id,
});

/** By id, else by name (ids and names never collide in practice: ids are generated). */
function byIdOrName<T extends { id: string; name: string }>(rows: readonly T[], idOrName: string): T | undefined {
  return rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.name === idOrName);
}

export async function listQueues(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db.selectFrom("queues").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toQueue(d, r));
}

export async function getQueue(db: Db, d: SqlDialect, workspaceId: string, idOrName: string) {
  const rows = await db
    .selectFrom("queues")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  return byIdOrName(
    rows.map((r) => toQueue(d, r)),
    idOrName,
  );
}

/** Unique-name clashes are answered by the caller before writing; this is the race's last word. */
async function nameTaken(db: Db, table: "queues" | "assignment_rule_sets", workspaceId: string, name: string, id: string) {
  const other = await db
    .selectFrom(table)
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return other !== undefined;
}

export async function insertQueue(db: Db, d: SqlDialect, q: QueueRow): Promise<boolean> {
  if (await nameTaken(db, "queues", q.workspaceId, q.name, q.id)) return false;
  await db
    .insertInto("queues")
    .values({ workspace_id: q.workspaceId, id: q.id, created_at: q.createdAt, state: d.json({}), ...queueColumns(d, q) })
    .execute();
  return true;
}

export async function updateQueue(db: Db, d: SqlDialect, q: QueueRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, "queues", q.workspaceId, q.name, q.id)) return "name_taken";
  const result = await db
    .updateTable("queues")
    .set(queueColumns(d, q))
    .where("workspace_id", "=", q.workspaceId)
    .where("id", "=", q.id)
    .where("version", "=", q.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteQueue(db: Db, workspaceId: string, id: string): Promise<boolean> {
  await db.deleteFrom("queue_holds").where("workspace_id", "=", workspaceId).where("queue_id", "=", id).execute();
  const result = await db.deleteFrom("queues").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function lockQueueState(db: Db, d: SqlDialect, workspaceId: string, queueId: string): Promise<QueueState> {
  let q = db.selectFrom("queues").select("state").where("workspace_id", "=", workspaceId).where("id", "=", queueId);
  // SQLite has one writer per database: its write transaction is the lock.
  if (d.rowLocks) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? ((d.parseJson(r.state) as QueueState | null) ?? {}) : {};
}

export async function setQueueState(db: Db, d: SqlDialect, workspaceId: string, queueId: string, state: QueueState) {
  await db
    .updateTable("queues")
    .set({ state: d.json(state) })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", queueId)
    .execute();
}

export async function listRuleSets(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db
    .selectFrom("assignment_rule_sets")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("object")
    .orderBy("name")
    .execute();
  return rows.map((r) => toRuleSet(d, r));
}

export async function getRuleSet(db: Db, d: SqlDialect, workspaceId: string, idOrName: string) {
  const rows = await db
    .selectFrom("assignment_rule_sets")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  return byIdOrName(
    rows.map((r) => toRuleSet(d, r)),
    idOrName,
  );
}

export async function onCreateRuleSets(db: Db, d: SqlDialect, workspaceId: string, object: ObjectName) {
  const rows = await db
    .selectFrom("assignment_rule_sets")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .where("on_create", "=", 1)
    .orderBy("name")
    .execute();
  return rows.map((r) => toRuleSet(d, r));
}

export async function insertRuleSet(db: Db, d: SqlDialect, r: RuleSetRow): Promise<boolean> {
  if (await nameTaken(db, "assignment_rule_sets", r.workspaceId, r.name, r.id)) return false;
  await db
    .insertInto("assignment_rule_sets")
    .values({ workspace_id: r.workspaceId, id: r.id, created_at: r.createdAt, ...ruleSetColumns(d, r) })
    .execute();
  return true;
}

export async function updateRuleSet(db: Db, d: SqlDialect, r: RuleSetRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, "assignment_rule_sets", r.workspaceId, r.name, r.id)) return "name_taken";
  const result = await db
    .updateTable("assignment_rule_sets")
    .set(ruleSetColumns(d, r))
    .where("workspace_id", "=", r.workspaceId)
    .where("id", "=", r.id)
    .where("version", "=", r.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteRuleSet(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("assignment_rule_sets")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listHolds(db: Db, workspaceId: string, queueId?: string) {
  let q = db.selectFrom("queue_holds").selectAll().where("workspace_id", "=", workspaceId);
  if (queueId !== undefined) q = q.where("queue_id", "=", queueId);
  const rows = await q.orderBy("held_at").orderBy("record_id").execute();
  return rows.map(toHold);
}

export async function heldQueues(db: Db) {
  const rows = await db.selectFrom("queue_holds").select(["workspace_id", "queue_id"]).distinct().execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, queueId: r.queue_id }));
}

export async function addHold(db: Db, h: HoldRow): Promise<boolean> {
  const result = await db
    .insertInto("queue_holds")
    .values({
      workspace_id: h.workspaceId,
      queue_id: h.queueId,
      record_id: h.recordId,
      field: h.field,
      held_at: h.heldAt,
      assignment_id: h.assignmentId,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "queue_id", "record_id", "field"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function removeHold(db: Db, workspaceId: string, queueId: string, recordId: string, field: string): Promise<boolean> {
  const result = await db
    .deleteFrom("queue_holds")
    .where("workspace_id", "=", workspaceId)
    .where("queue_id", "=", queueId)
    .where("record_id", "=", recordId)
    .where("field", "=", field)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertAssignment(db: Db, d: SqlDialect, a: AssignmentRow) {
  const reason: Reason = {
    previousUserId: a.previousUserId,
    source: a.source,
    ruleSet: a.ruleSet,
    rules: a.rules,
    matchedRule: a.matchedRule,
    target: a.target,
    queue: a.queue,
    candidates: a.candidates,
    detail: a.detail,
    fallbacks: a.fallbacks,
    why: a.why,
  };
  await db
    .insertInto("assignments")
    .values({
      workspace_id: a.workspaceId,
      id: a.id,
      record_id: a.recordId,
      object: a.object,
      field: a.field,
      at: a.at,
      outcome: a.outcome,
      user_id: a.userId,
      queue_id: a.queue?.id ?? null,
      rule_set_id: a.ruleSet?.id ?? null,
      run_id: a.source.kind === "workflow" ? a.source.run_id : null,
      reason: d.json(reason),
    })
    .execute();
}

export async function assignmentsOf(db: Db, d: SqlDialect, workspaceId: string, recordId: string, limit: number) {
  const rows = await db
    .selectFrom("assignments")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toAssignment(d, r));
}

export async function recentAssignments(db: Db, d: SqlDialect, workspaceId: string, limit: number) {
  const rows = await db
    .selectFrom("assignments")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toAssignment(d, r));
}

export async function distribution(db: Db, workspaceId: string, sinceIso: string): Promise<DistributionRow[]> {
  const rows = await db
    .selectFrom("assignments")
    .select((eb) => ["queue_id", "user_id", "outcome", eb.fn.countAll<number | string>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("at", ">=", sinceIso)
    .groupBy(["queue_id", "user_id", "outcome"])
    .execute();
  return rows.map((r) => ({
    queueId: r.queue_id,
    userId: r.user_id,
    outcome: r.outcome as DistributionRow["outcome"],
    count: Number(r.n),
  }));
}
