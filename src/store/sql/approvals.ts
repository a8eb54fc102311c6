/**
 * Approval requests, their tasks, history and email links (approval-ports.ts; migration 026).
 *
 * These tables are the approval port's alone: nothing here reads records or runs, and no key
 * points at them, so the unit of work has nothing to flush before these statements (its kept
 * record writes and kept new runs are not read here, and no foreign key orders their insert).
 */
import { type Kysely, sql } from "kysely";
import { assertNever } from "../../crm/never.js";
import type {
  ApprovalHistoryKind,
  ApprovalHistoryRow,
  ApprovalLinkRow,
  ApprovalLock,
  ApprovalLockRow,
  ApprovalQuery,
  ApprovalRequestRow,
  ApprovalTaskRow,
  ApprovalTaskStatus,
} from "../approval-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { ApprovalRequestsTable, Database } from "./schema.js";

type Db = Kysely<Database>;
// The engine's types, as the port names them (this layer does not import the engine).
type RequestState = ApprovalRequestRow["state"];
type RequestStatus = ApprovalRequestRow["status"];
type Decision = NonNullable<ApprovalTaskRow["decision"]>;

/**
 * The status of the lock check's partial index (`approval_requests_pending`), as a literal: a
 * planner proves that a query's rows are in a partial index only from a constant, never from a
 * parameter (PostgreSQL's generic plans, SQLite's statements prepared before their values).
 */
const PENDING = sql.lit("pending");

const toRequest = (d: SqlDialect, r: ApprovalRequestsTable): ApprovalRequestRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  runId: r.run_id,
  workflowId: r.workflow_id,
  step: r.step,
  round: Number(r.round),
  previousId: r.previous_id,
  object: r.object as ApprovalRequestRow["object"],
  recordId: r.record_id,
  summary: r.summary,
  stake: d.parseJson(r.stake) as ApprovalRequestRow["stake"],
  lock: r.lock as ApprovalLock,
  route: r.route,
  submitterId: r.submitter_id,
  status: r.status as RequestStatus,
  state: d.parseJson(r.state) as RequestState,
  dueAt: r.due_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export async function getApprovalRequest(db: Db, d: SqlDialect, workspaceId: string, id: string): Promise<ApprovalRequestRow | undefined> {
  const r = await db
    .selectFrom("approval_requests")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toRequest(d, r) : undefined;
}

export async function insertApprovalRequest(db: Db, d: SqlDialect, r: ApprovalRequestRow): Promise<void> {
  await db
    .insertInto("approval_requests")
    .values({
      workspace_id: r.workspaceId,
      id: r.id,
      run_id: r.runId,
      workflow_id: r.workflowId,
      step: r.step,
      round: r.round,
      previous_id: r.previousId,
      object: r.object,
      record_id: r.recordId,
      summary: r.summary,
      stake: d.json(r.stake),
      lock: r.lock,
      route: r.route,
      submitter_id: r.submitterId,
      status: r.status,
      state: d.json(r.state),
      due_at: r.dueAt,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      version: r.version,
    })
    .execute();
}

/** The fenced write: only over `expectedVersion`, bumping it; false when someone else moved it. */
export async function updateApprovalRequest(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  id: string,
  expectedVersion: number,
  change: { status: RequestStatus; state: RequestState; updatedAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable("approval_requests")
    .set((eb) => ({
      status: change.status,
      state: d.json(change.state),
      updated_at: change.updatedAt,
      version: eb("version", "+", 1),
    }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The inbox: by view and filters, newest first by (created_at, id), a page before `beforeId`. */
export async function listApprovalRequests(db: Db, d: SqlDialect, q: ApprovalQuery): Promise<ApprovalRequestRow[]> {
  const tasksOf = (status: ApprovalTaskStatus) =>
    db
      .selectFrom("approval_tasks")
      .select("request_id")
      .where("workspace_id", "=", q.workspaceId)
      .where("user_id", "=", q.userId)
      .where("status", "=", status);
  let query = db.selectFrom("approval_requests").selectAll().where("workspace_id", "=", q.workspaceId);
  switch (q.view) {
    case "mine":
      query = query.where("id", "in", tasksOf("open"));
      break;
    case "decided":
      query = query.where("id", "in", tasksOf("done"));
      break;
    case "submitted":
      query = query.where("submitter_id", "=", q.userId);
      break;
    case "all":
      break;
    default:
      assertNever(q.view, "approval view");
  }
  if (q.status !== undefined) query = query.where("status", "=", q.status);
  if (q.object !== undefined) query = query.where("object", "=", q.object);
  if (q.recordId !== undefined) query = query.where("record_id", "=", q.recordId);
  if (q.beforeId !== undefined) {
    // Keyset paging: before the cursor request's (created_at, id). An unknown cursor has no rows before it.
    const cursor = db
      .selectFrom("approval_requests as cursor")
      .select(["cursor.created_at", "cursor.id"])
      .where("cursor.workspace_id", "=", q.workspaceId)
      .where("cursor.id", "=", q.beforeId);
    query = query.where((eb) =>
      eb(eb.refTuple("approval_requests.created_at", "approval_requests.id"), "<", cursor.$asTuple("created_at", "id")),
    );
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => toRequest(d, r));
}

export async function approvalRounds(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  runId: string,
  step: string,
): Promise<ApprovalRequestRow[]> {
  const rows = await db
    .selectFrom("approval_requests")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("run_id", "=", runId)
    .where("step", "=", step)
    .orderBy("round")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => toRequest(d, r));
}

export async function approvalTasks(db: Db, workspaceId: string, requestId: string): Promise<ApprovalTaskRow[]> {
  const rows = await db
    .selectFrom("approval_tasks")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("request_id", "=", requestId)
    .orderBy("level")
    .orderBy("user_id")
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    requestId: r.request_id,
    level: Number(r.level),
    userId: r.user_id,
    onBehalfOf: r.on_behalf_of,
    status: r.status as ApprovalTaskStatus,
    decision: r.decision as Decision | null,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  }));
}

export async function insertApprovalTasks(db: Db, rows: readonly ApprovalTaskRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("approval_tasks")
    .values(
      rows.map((t) => ({
        workspace_id: t.workspaceId,
        request_id: t.requestId,
        level: t.level,
        user_id: t.userId,
        on_behalf_of: t.onBehalfOf,
        status: t.status,
        decision: t.decision,
        created_at: t.createdAt,
        decided_at: t.decidedAt,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "request_id", "level", "user_id"]).doNothing())
    .execute();
}

export async function updateApprovalTasks(
  db: Db,
  workspaceId: string,
  requestId: string,
  where: { level?: number | undefined; userId?: string | undefined; status?: ApprovalTaskStatus | undefined },
  change: { status: ApprovalTaskStatus; decision?: Decision | null | undefined; decidedAt?: string | null | undefined },
): Promise<void> {
  let q = db
    .updateTable("approval_tasks")
    .set({
      status: change.status,
      ...(change.decision !== undefined ? { decision: change.decision } : {}),
      ...(change.decidedAt !== undefined ? { decided_at: change.decidedAt } : {}),
    })
    .where("workspace_id", "=", workspaceId)
    .where("request_id", "=", requestId);
  if (where.level !== undefined) q = q.where("level", "=", where.level);
  if (where.userId !== undefined) q = q.where("user_id", "=", where.userId);
  if (where.status !== undefined) q = q.where("status", "=", where.status);
  await q.execute();
}

export async function openApprovalCount(db: Db, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom("approval_tasks")
    .select((eb) => eb.fn.count<number | string>("request_id").distinct().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The lock check's one read: the record's pending requests that lock something, oldest first,
 * from the partial index of pending requests. Exported for the test that checks its plan.
 */
export function pendingLocksQuery(db: Db, workspaceId: string, recordId: string) {
  return db
    .selectFrom("approval_requests")
    .select(["id", "lock", "stake", "summary", "state"])
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .where("status", "=", PENDING)
    .where("lock", "<>", "none")
    .orderBy("created_at")
    .orderBy("id");
}

/**
 * The locks of the record's pending requests: the fields at stake, and who the current level
 * still waits on, read from the request's JSON here after the one indexed read.
 */
export async function pendingApprovalLocks(db: Db, d: SqlDialect, workspaceId: string, recordId: string): Promise<ApprovalLockRow[]> {
  const rows = await pendingLocksQuery(db, workspaceId, recordId).execute();
  return rows.map((r) => {
    const stake = d.parseJson(r.stake) as ApprovalRequestRow["stake"];
    const state = d.parseJson(r.state) as RequestState;
    const level = state.levels[state.level];
    const voted = new Set(level?.votes.map((v) => v.userId) ?? []);
    return {
      requestId: r.id,
      lock: r.lock as ApprovalLockRow["lock"],
      fields: stake.map((s) => s.field),
      summary: r.summary,
      waitingOn: (level?.approvers ?? []).filter((a) => !voted.has(a.userId)).map((a) => a.name),
    };
  });
}

/**
 * Appends history rows, each numbered one more than its request's last. On PostgreSQL the
 * requests' rows are locked first (in key order; a writer of a request holds its row already
 * after its fenced update), so that two transactions appending to one request number their
 * rows one after the other instead of colliding on the key. SQLite has one writer.
 */
export async function appendApprovalHistory(db: Db, d: SqlDialect, rows: ReadonlyArray<Omit<ApprovalHistoryRow, "seq">>): Promise<void> {
  if (rows.length === 0) return;
  const key = (workspaceId: string, requestId: string) => `${workspaceId}\u0000${requestId}`;
  const workspaceIds = [...new Set(rows.map((r) => r.workspaceId))];
  const requestIds = [...new Set(rows.map((r) => r.requestId))];
  if (d.rowLocks)
    await db
      .selectFrom("approval_requests")
      .select("id")
      .where("workspace_id", "in", workspaceIds)
      .where("id", "in", requestIds)
      .orderBy("workspace_id")
      .orderBy("id")
      .forUpdate()
      .execute();
  const last = await db
    .selectFrom("approval_history")
    .select(["workspace_id", "request_id"])
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("workspace_id", "in", workspaceIds)
    .where("request_id", "in", requestIds)
    .groupBy(["workspace_id", "request_id"])
    .execute();
  const next = new Map(last.map((r) => [key(r.workspace_id, r.request_id), Number(r.seq)]));
  const values = rows.map((r) => {
    const k = key(r.workspaceId, r.requestId);
    const seq = (next.get(k) ?? 0) + 1;
    next.set(k, seq);
    return {
      workspace_id: r.workspaceId,
      request_id: r.requestId,
      seq,
      at: r.at,
      kind: r.kind,
      actor_id: r.actorId,
      detail: d.json(r.detail),
    };
  });
  await db.insertInto("approval_history").values(values).execute();
}

export async function approvalHistory(db: Db, d: SqlDialect, workspaceId: string, requestId: string): Promise<ApprovalHistoryRow[]> {
  const rows = await db
    .selectFrom("approval_history")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("request_id", "=", requestId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    requestId: r.request_id,
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind as ApprovalHistoryKind,
    actorId: r.actor_id,
    detail: d.parseJson(r.detail) as Record<string, unknown>,
  }));
}

export async function insertApprovalLinks(db: Db, rows: readonly ApprovalLinkRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("approval_links")
    .values(
      rows.map((l) => ({
        token_hash: l.tokenHash,
        workspace_id: l.workspaceId,
        grant_id: l.grant,
        request_id: l.requestId,
        user_id: l.userId,
        decision: l.decision,
        expires_at: l.expiresAt,
        used_at: l.usedAt,
      })),
    )
    .execute();
}

export async function getApprovalLink(db: Db, tokenHash: string): Promise<ApprovalLinkRow | undefined> {
  const r = await db.selectFrom("approval_links").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  if (!r) return undefined;
  return {
    workspaceId: r.workspace_id,
    tokenHash: r.token_hash,
    grant: r.grant_id,
    requestId: r.request_id,
    userId: r.user_id,
    decision: r.decision as ApprovalLinkRow["decision"],
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

/**
 * Spends a grant: marks all of its links used at `at`, only if none of them was used. Two
 * spenders at once on PostgreSQL: the second waits for the first's row locks, then finds the
 * rows used and changes none.
 */
export async function spendApprovalGrant(db: Db, workspaceId: string, grant: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable("approval_links")
    .set({ used_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("grant_id", "=", grant)
    .where("used_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("approval_links as spent")
            .select(sql.lit(1).as("one"))
            .where("spent.workspace_id", "=", workspaceId)
            .where("spent.grant_id", "=", grant)
            .where("spent.used_at", "is not", null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
