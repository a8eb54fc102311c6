/** Workflow reviews, their history, and the audit reads override counting makes (see review-ports.ts). */
import { type Kysely, type Selectable, sql } from "kysely";
import type { FieldChange } from "../audit-ports.js";
import type { ChangeRow, ReviewHistoryRow, ReviewRow } from "../review-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { AuditLogTable, Database, WorkflowReviewHistoryTable, WorkflowReviewsTable } from "./schema.js";

type Db = Kysely<Database>;

/** Record ids per statement of `recordChangesSince` (well under both databases' parameter limits). */
const IDS_PER_STATEMENT = 500;

const toReview = (r: Selectable<WorkflowReviewsTable>): ReviewRow => ({
  workspaceId: r.workspace_id,
  workflowId: r.workflow_id,
  ownerId: r.owner_id,
  intervalMonths: Number(r.interval_months),
  nextReviewAt: r.next_review_at,
  notifiedFor: r.notified_for,
  taskId: r.task_id,
  updatedAt: r.updated_at,
});

const toHistory = (r: Selectable<WorkflowReviewHistoryTable>): ReviewHistoryRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  workflowId: r.workflow_id,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  dueAt: r.due_at,
  note: r.note,
});

const toChange = (
  d: SqlDialect,
  r: Pick<Selectable<AuditLogTable>, "seq" | "record_id" | "object" | "action" | "actor_kind" | "actor_id" | "changes" | "at">,
): ChangeRow => ({
  seq: Number(r.seq),
  recordId: r.record_id,
  object: r.object,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  action: r.action,
  changes: d.parseJson(r.changes) as FieldChange[],
  at: r.at,
});

export async function getReview(db: Db, workspaceId: string, workflowId: string) {
  const r = await db
    .selectFrom("workflow_reviews")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .executeTakeFirst();
  return r ? toReview(r) : undefined;
}

export async function listReviews(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom("workflow_reviews")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("next_review_at")
    .execute();
  return rows.map(toReview);
}

export async function listReviewHistory(db: Db, workspaceId: string, workflowId: string, limit: number) {
  const rows = await db
    .selectFrom("workflow_review_history")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .orderBy("reviewed_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toHistory);
}

const CHANGE_COLUMNS = ["seq", "record_id", "object", "action", "actor_kind", "actor_id", "changes", "at"] as const;

/** People's changes since an instant, newest first: a range of the partial index audit_log_person_at (a test checks the plan). */
export function personChangesStatement(db: Db, workspaceId: string, since: string, limit: number, until?: string) {
  let q = db
    .selectFrom("audit_log")
    .select(CHANGE_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    // A literal, not a parameter: SQLite matches a partial index's term at prepare time (a bound value only with STAT4).
    .where(sql<boolean>`actor_kind = 'person'`)
    .where("at", ">=", since);
  if (until !== undefined) q = q.where("at", "<", until);
  return q.orderBy("at", "desc").limit(limit);
}

export async function personChangesSince(db: Db, d: SqlDialect, workspaceId: string, since: string, limit: number, until?: string) {
  const rows = await personChangesStatement(db, workspaceId, since, limit, until).execute();
  return rows.map((r) => toChange(d, r));
}

export async function recordChangesSince(db: Db, d: SqlDialect, workspaceId: string, recordIds: readonly string[], since: string) {
  const out: ChangeRow[] = [];
  for (let i = 0; i < recordIds.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .selectFrom("audit_log")
      .select(CHANGE_COLUMNS)
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", recordIds.slice(i, i + IDS_PER_STATEMENT))
      .where("at", ">=", since)
      .orderBy("seq")
      .execute();
    out.push(...rows.map((r) => toChange(d, r)));
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export async function insertReviewIfAbsent(db: Db, r: ReviewRow) {
  const result = await db
    .insertInto("workflow_reviews")
    .values({
      workspace_id: r.workspaceId,
      workflow_id: r.workflowId,
      owner_id: r.ownerId,
      interval_months: r.intervalMonths,
      next_review_at: r.nextReviewAt,
      notified_for: r.notifiedFor,
      task_id: r.taskId,
      updated_at: r.updatedAt,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "workflow_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateReview(db: Db, r: ReviewRow) {
  await db
    .updateTable("workflow_reviews")
    .set({
      owner_id: r.ownerId,
      interval_months: r.intervalMonths,
      next_review_at: r.nextReviewAt,
      task_id: r.taskId,
      updated_at: r.updatedAt,
    })
    .where("workspace_id", "=", r.workspaceId)
    .where("workflow_id", "=", r.workflowId)
    .execute();
}

/**
 * The once-per-due-date guard: one conditional update. On PostgreSQL a second claimer waits for
 * the first's row lock, then finds `notified_for` already equal and updates nothing; on SQLite
 * write transactions run one after another.
 */
export async function claimDueReview(db: Db, workspaceId: string, workflowId: string, dueAt: string) {
  const result = await db
    .updateTable("workflow_reviews")
    .set({ notified_for: dueAt })
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("next_review_at", "=", dueAt)
    .where((eb) => eb.or([eb("notified_for", "is", null), eb("notified_for", "<>", dueAt)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function appendReviewHistory(db: Db, row: ReviewHistoryRow) {
  await db
    .insertInto("workflow_review_history")
    .values({
      workspace_id: row.workspaceId,
      id: row.id,
      workflow_id: row.workflowId,
      reviewed_by: row.reviewedBy,
      reviewed_at: row.reviewedAt,
      due_at: row.dueAt,
      note: row.note,
    })
    .execute();
}

export async function dueReviews(db: Db, now: string, limit: number) {
  const rows = await db
    .selectFrom("workflow_reviews")
    .selectAll()
    .where("next_review_at", "<=", now)
    .where((eb) => eb.or([eb("notified_for", "is", null), eb("notified_for", "<>", eb.ref("next_review_at"))]))
    .orderBy("next_review_at")
    .limit(limit)
    .execute();
  return rows.map(toReview);
}
