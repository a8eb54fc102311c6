/** The outbox: enqueue (duplicates skipped), claim with a lease, fenced settle, list, replay. */
import type { Kysely, Selectable } from "kysely";
import type { NewOutboxItem, OutboxAttempt, OutboxQuery, OutboxRow, OutboxStatus, Settlement } from "../outbox-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, OutboxTable } from "./schema.js";

type Db = Kysely<Database>;

/** Errors are shown to people and kept per row: long ones are cut, not stored whole. */
const MAX_ERROR = 2_000;

const toRow = (d: SqlDialect, r: Selectable<OutboxTable>): OutboxRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  kind: r.kind,
  connector: r.connector,
  subscriptionId: r.subscription_id,
  runId: r.run_id,
  recordId: r.record_id,
  payload: d.parseJson(r.payload),
  status: r.status as OutboxStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  leaseOwner: r.lease_owner,
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  result: r.result === null || r.result === undefined ? null : d.parseJson(r.result),
  deliveredAt: r.delivered_at,
  replayedBy: r.replayed_by,
  replayedAt: r.replayed_at,
});

export async function insertOutboxItems(db: Db, d: SqlDialect, items: readonly NewOutboxItem[], now: string) {
  if (items.length === 0) return 0;
  const r = await db
    .insertInto("outbox")
    .values(
      items.map((i) => ({
        workspace_id: i.workspaceId,
        id: i.id,
        key: i.key,
        kind: i.kind,
        connector: i.connector,
        subscription_id: i.subscriptionId,
        run_id: i.runId,
        record_id: i.recordId,
        payload: d.json(i.payload),
        status: "pending",
        next_attempt_at: i.nextAttemptAt,
        last_error: null,
        last_status: null,
        result: null,
        lease_owner: null,
        lease_until: null,
        delivered_at: null,
        replayed_by: null,
        replayed_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "key"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Due pending rows, oldest due first. The bound on next_attempt_at is the statement's clock so
 * the partial index outbox_due is range-scanned (see SqlDialect.statementNow).
 */
function dueRows(db: Db, d: SqlDialect, limit: number) {
  const now = d.now();
  return db
    .selectFrom("outbox")
    .select(["workspace_id", "id"])
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", d.statementNow())
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .orderBy("next_attempt_at")
    .limit(limit);
}

export async function claimOutbox(db: Db, d: SqlDialect, owner: string, limit: number, leaseMs: number) {
  let due = dueRows(db, d, limit);
  if (d.rowLocks) due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable("outbox")
    .set((eb) => ({ lease_owner: owner, lease_until: d.now(leaseMs), attempts: eb("attempts", "+", 1) }))
    // Row values: the key is (workspace_id, id). The builder types a tuple subquery loosely.
    .where((eb) => eb(eb.refTuple("workspace_id", "id"), "in", due as never))
    .returningAll()
    .execute();
  return rows.map((r) => toRow(d, r)).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
}

export async function explainOutboxClaim(db: Db, d: SqlDialect): Promise<string> {
  const compiled = dueRows(db, d, 100).compile();
  const prefix = d.name === "postgres" ? "explain " : "explain query plan ";
  const r = await db.executeQuery<Record<string, unknown>>({ ...compiled, sql: prefix + compiled.sql });
  return r.rows.map((row) => String(row["QUERY PLAN"] ?? row.detail ?? JSON.stringify(row))).join("\n");
}

export async function extendOutboxLeases(
  db: Db,
  d: SqlDialect,
  owner: string,
  items: ReadonlyArray<{ workspaceId: string; id: string }>,
  leaseMs: number,
) {
  if (items.length === 0) return;
  await db
    .updateTable("outbox")
    .set({ lease_until: d.now(leaseMs) })
    .where((eb) =>
      eb(
        eb.refTuple("workspace_id", "id"),
        "in",
        items.map((i) => eb.tuple(i.workspaceId, i.id)),
      ),
    )
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .execute();
}

export async function settleOutbox(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  id: string,
  owner: string,
  attempt: number,
  s: Settlement,
  now: string,
) {
  const released = { lease_owner: null, lease_until: null, updated_at: now };
  let query = db.updateTable("outbox");
  switch (s.status) {
    case "delivered":
      query = query.set({
        ...released,
        status: "delivered",
        last_status: s.lastStatus,
        last_error: null,
        result: d.json(s.result ?? null),
        delivered_at: now,
      });
      break;
    case "retry":
      query = query.set({
        ...released,
        next_attempt_at: d.now(s.delayMs),
        last_error: s.error.slice(0, MAX_ERROR),
        last_status: s.lastStatus,
      });
      break;
    case "dead":
      query = query.set({ ...released, status: "dead", last_error: s.error.slice(0, MAX_ERROR), last_status: s.lastStatus });
      break;
    case "deferred":
      query = query.set((eb) => ({ ...released, next_attempt_at: d.now(s.delayMs), attempts: eb("attempts", "-", 1) }));
      break;
  }
  const r = await query
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where("lease_owner", "=", owner)
    .where("attempts", "=", attempt)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if (s.status !== "deferred")
    await db
      .insertInto("outbox_attempts")
      .values({
        workspace_id: workspaceId,
        outbox_id: id,
        attempt,
        at: now,
        outcome: s.status,
        status: s.lastStatus,
        error: s.status === "delivered" ? null : s.error.slice(0, MAX_ERROR) || null,
        next_attempt_at: s.status === "retry" ? d.now(s.delayMs) : null,
      })
      .execute();
  return true;
}

export async function listOutboxAttempts(db: Db, workspaceId: string, outboxIds: readonly string[]): Promise<OutboxAttempt[]> {
  if (outboxIds.length === 0) return [];
  const rows = await db
    .selectFrom("outbox_attempts")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("outbox_id", "in", [...new Set(outboxIds)])
    .orderBy("at")
    .orderBy("attempt")
    .execute();
  return rows.map((r) => ({
    outboxId: r.outbox_id,
    attempt: Number(r.attempt),
    at: r.at,
    outcome: r.outcome as OutboxAttempt["outcome"],
    status: r.status === null ? null : Number(r.status),
    error: r.error,
    nextAttemptAt: r.next_attempt_at,
  }));
}

export async function replayDeadLetter(db: Db, d: SqlDialect, workspaceId: string, id: string, by: string, now: string) {
  const rows = await db
    .updateTable("outbox")
    .set({
      status: "pending",
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      lease_until: null,
      replayed_by: by,
      replayed_at: now,
      updated_at: now,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "dead")
    .returningAll()
    .execute();
  return rows[0] ? toRow(d, rows[0]) : undefined;
}

export async function getOutboxItem(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const r = await db.selectFrom("outbox").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return r ? toRow(d, r) : undefined;
}

export async function listOutbox(db: Db, d: SqlDialect, q: OutboxQuery) {
  let query = db.selectFrom("outbox").selectAll().where("workspace_id", "=", q.workspaceId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.kind) query = query.where("kind", "=", q.kind);
  if (q.attempted) query = query.where("attempts", ">", 0);
  if (q.beforeId) query = query.where("id", "<", q.beforeId);
  const rows = await query.orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => toRow(d, r));
}
