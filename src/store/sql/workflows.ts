/** Workflows, versions, the trigger index, the workflow log, rotations, notifications, cursors. */
import type { Kysely, Selectable } from "kysely";
import type { ActorKind, ActorRef } from "../../crm/actor.js";
import type { ObjectName } from "../../crm/fields.js";
import type {
  ConflictAcknowledgement,
  NotificationRow,
  TriggerRow,
  VersionState,
  WorkflowLogRow,
  WorkflowRow,
  WorkflowVersionRow,
} from "../workflow-ports.js";
import type { SqlDialect } from "./dialect.js";
import { direct } from "./direct.js";
import type { Database, WorkflowLogTable, WorkflowsTable, WorkflowVersionsTable } from "./schema.js";

type Db = Kysely<Database>;

const ACTOR_KINDS: ReadonlySet<string> = new Set<ActorKind>(["person", "integration", "workflow", "system"]);
/** An actor as one column (019): `kind:id`. */
const actorText = (a: ActorRef | null | undefined) => (a ? `${a.kind}:${a.id}` : null);
function actorOf(text: string | null | undefined): ActorRef | null {
  const at = text ? text.indexOf(":") : -1;
  if (!text || at < 1 || !ACTOR_KINDS.has(text.slice(0, at))) return null;
  return { kind: text.slice(0, at) as ActorKind, id: text.slice(at + 1) };
}

const toWorkflow = (r: WorkflowsTable): WorkflowRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  name: r.name,
  object: r.object as ObjectName,
  liveVersion: r.live_version === null ? null : Number(r.live_version),
  latestVersion: Number(r.latest_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: actorOf(r.updated_by),
});

const toVersion = (d: SqlDialect, r: WorkflowVersionsTable): WorkflowVersionRow => ({
  workspaceId: r.workspace_id,
  workflowId: r.workflow_id,
  version: Number(r.version),
  state: r.state as VersionState,
  definition: d.parseJson(r.definition),
  createdAt: r.created_at,
  publishedAt: r.published_at,
  sincePosition: r.since_position === null ? null : Number(r.since_position),
  publishedBy: actorOf(r.published_by),
  note: r.note ?? null,
  conflictsAcknowledged: (r.conflicts_acknowledged === null || r.conflicts_acknowledged === undefined
    ? null
    : d.parseJson(r.conflicts_acknowledged)) as ConflictAcknowledgement | null,
});

export async function getWorkflow(db: Db, workspaceId: string, id: string) {
  const r = await db.selectFrom("workflows").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return r ? toWorkflow(r) : undefined;
}

export async function getWorkflowByKey(db: Db, workspaceId: string, key: string) {
  const r = await db.selectFrom("workflows").selectAll().where("workspace_id", "=", workspaceId).where("key", "=", key).executeTakeFirst();
  return r ? toWorkflow(r) : undefined;
}

export async function listWorkflows(db: Db, workspaceId: string) {
  const rows = await db.selectFrom("workflows").selectAll().where("workspace_id", "=", workspaceId).orderBy("key").execute();
  return rows.map(toWorkflow);
}

export async function insertWorkflow(db: Db, w: WorkflowRow) {
  await db
    .insertInto("workflows")
    .values({
      workspace_id: w.workspaceId,
      id: w.id,
      key: w.key,
      name: w.name,
      object: w.object,
      live_version: w.liveVersion,
      latest_version: w.latestVersion,
      created_at: w.createdAt,
      updated_at: w.updatedAt,
      updated_by: actorText(w.updatedBy),
    })
    .execute();
}

export async function updateWorkflow(db: Db, w: WorkflowRow) {
  await db
    .updateTable("workflows")
    .set({
      name: w.name,
      object: w.object,
      live_version: w.liveVersion,
      latest_version: w.latestVersion,
      updated_at: w.updatedAt,
      // Unset: the change's author is not known here; keep the one stored.
      ...(w.updatedBy !== undefined ? { updated_by: actorText(w.updatedBy) } : {}),
    })
    .where("workspace_id", "=", w.workspaceId)
    .where("id", "=", w.id)
    .execute();
}

export async function getVersion(db: Db, d: SqlDialect, workspaceId: string, workflowId: string, version: number) {
  const r = await db
    .selectFrom("workflow_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("version", "=", version)
    .executeTakeFirst();
  return r ? toVersion(d, r) : undefined;
}

export async function listVersions(db: Db, d: SqlDialect, workspaceId: string, workflowId: string) {
  const rows = await db
    .selectFrom("workflow_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => toVersion(d, r));
}

/** Each workflow's live version, or its latest when none is live (one statement, by primary key per workflow). */
export async function currentVersions(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db
    .selectFrom("workflow_versions as v")
    .innerJoin("workflows as w", (j) =>
      j
        .onRef("w.workspace_id", "=", "v.workspace_id")
        .onRef("w.id", "=", "v.workflow_id")
        .on((eb) => eb("v.version", "=", eb.fn.coalesce("w.live_version", "w.latest_version"))),
    )
    .selectAll("v")
    .where("w.workspace_id", "=", workspaceId)
    .execute();
  return rows.map((r) => toVersion(d, r));
}

export async function upsertVersion(db: Db, d: SqlDialect, v: WorkflowVersionRow) {
  await db
    .insertInto("workflow_versions")
    .values({
      workspace_id: v.workspaceId,
      workflow_id: v.workflowId,
      version: v.version,
      state: v.state,
      definition: d.json(v.definition),
      created_at: v.createdAt,
      published_at: v.publishedAt,
      since_position: v.sincePosition,
      published_by: actorText(v.publishedBy),
      note: v.note ?? null,
      conflicts_acknowledged: v.conflictsAcknowledged ? d.json(v.conflictsAcknowledged) : null,
    })
    .onConflict((oc) =>
      oc.columns(["workspace_id", "workflow_id", "version"]).doUpdateSet({
        state: v.state,
        definition: d.json(v.definition),
        published_at: v.publishedAt,
        since_position: v.sincePosition,
        ...(v.publishedBy !== undefined ? { published_by: actorText(v.publishedBy) } : {}),
        ...(v.note !== undefined ? { note: v.note } : {}),
        ...(v.conflictsAcknowledged !== undefined
          ? { conflicts_acknowledged: v.conflictsAcknowledged ? d.json(v.conflictsAcknowledged) : null }
          : {}),
      }),
    )
    .execute();
}

export async function findTriggers(db: Db, workspaceId: string, object: ObjectName, kinds: readonly string[]): Promise<TriggerRow[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom("workflow_triggers")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .where("kind", "in", [...kinds])
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    object: r.object as ObjectName,
    kind: r.kind,
    version: Number(r.version),
    sincePosition: Number(r.since_position),
  }));
}

/** The workspace's trigger epoch (0 before its first publish). */
export async function triggerEpoch(db: Db, d: SqlDialect, workspaceId: string): Promise<number> {
  const { rows } = await direct<{ epoch: number }>(db, d, "select epoch from trigger_epochs where workspace_id = ?", [workspaceId]);
  return Number(rows[0]?.epoch ?? 0);
}

export async function bumpTriggerEpoch(db: Db, d: SqlDialect, workspaceId: string): Promise<void> {
  await direct(
    db,
    d,
    "insert into trigger_epochs (workspace_id, epoch) values (?, 1) on conflict (workspace_id) do update set epoch = trigger_epochs.epoch + 1",
    [workspaceId],
  );
}

export async function replaceTriggers(db: Db, workspaceId: string, workflowId: string, rows: readonly TriggerRow[]) {
  await db.deleteFrom("workflow_triggers").where("workspace_id", "=", workspaceId).where("workflow_id", "=", workflowId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto("workflow_triggers")
    .values(
      rows.map((r) => ({
        workspace_id: r.workspaceId,
        workflow_id: r.workflowId,
        object: r.object,
        kind: r.kind,
        version: r.version,
        since_position: r.sincePosition,
      })),
    )
    .execute();
}

export async function appendWorkflowLog(db: Db, d: SqlDialect, rows: readonly WorkflowLogRow[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("workflow_log")
    .values(
      rows.map((r) => ({
        workspace_id: r.workspaceId,
        workflow_id: r.workflowId,
        record_id: r.recordId,
        event_id: r.eventId,
        kind: r.kind,
        message: r.message,
        at: r.at,
        chain: r.chain ? d.json(r.chain) : null,
      })),
    )
    .execute();
}

const toLogRow = (d: SqlDialect, r: Selectable<WorkflowLogTable>): WorkflowLogRow => ({
  workspaceId: r.workspace_id,
  workflowId: r.workflow_id,
  recordId: r.record_id,
  eventId: r.event_id,
  kind: r.kind as WorkflowLogRow["kind"],
  message: r.message,
  at: r.at,
  chain: r.chain === null || r.chain === undefined ? null : (d.parseJson(r.chain) as string[]),
});

export async function readWorkflowLog(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  workflowId: string,
  limit: number,
): Promise<WorkflowLogRow[]> {
  const rows = await db
    .selectFrom("workflow_log")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .orderBy("seq", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toLogRow(d, r));
}

export async function loopStopsOfRecord(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  recordId: string,
  limit: number,
): Promise<WorkflowLogRow[]> {
  // A stop is written to the log of every workflow of its chain: one row per stopped event here.
  const rows = await db
    .selectFrom("workflow_log")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .where("chain", "is not", null)
    .orderBy("seq", "desc")
    .limit(limit * 16)
    .execute();
  const seen = new Set<string>();
  const out: WorkflowLogRow[] = [];
  for (const r of rows) {
    const k = `${r.event_id ?? r.seq}\u0000${r.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(toLogRow(d, r));
    if (out.length >= limit) break;
  }
  return out;
}

export async function getRotation(db: Db, workspaceId: string, key: string) {
  const r = await db
    .selectFrom("rotations")
    .select("last_user_id")
    .where("workspace_id", "=", workspaceId)
    .where("key", "=", key)
    .executeTakeFirst();
  return r?.last_user_id;
}

export async function setRotation(db: Db, workspaceId: string, key: string, lastUserId: string) {
  await db
    .insertInto("rotations")
    .values({ workspace_id: workspaceId, key, last_user_id: lastUserId })
    .onConflict((oc) => oc.columns(["workspace_id", "key"]).doUpdateSet({ last_user_id: lastUserId }))
    .execute();
}

export async function insertNotification(db: Db, n: NotificationRow) {
  await db
    .insertInto("notifications")
    .values({
      workspace_id: n.workspaceId,
      id: n.id,
      user_id: n.userId,
      message: n.message,
      record_id: n.recordId,
      run_id: n.runId,
      created_at: n.createdAt,
      read_at: n.readAt,
    })
    .execute();
}

export async function lockCursor(db: Db, d: SqlDialect, consumer: string): Promise<number> {
  await db
    .insertInto("event_cursors")
    .values({ consumer, position: 0, lease_owner: null, lease_until: null })
    .onConflict((oc) => oc.column("consumer").doNothing())
    .execute();
  let q = db.selectFrom("event_cursors").select("position").where("consumer", "=", consumer);
  if (d.rowLocks) q = q.forUpdate();
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.position);
}

export async function setCursor(db: Db, consumer: string, position: number) {
  await db.updateTable("event_cursors").set({ position }).where("consumer", "=", consumer).execute();
}

export async function lastEventPosition(db: Db) {
  const r = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("position").as("p"))
    .executeTakeFirst();
  return Number(r?.p ?? 0);
}
