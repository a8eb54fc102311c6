/** The data review queue (review-queue-ports.ts): one statement per operation. */
import { type Kysely, type Selectable, sql } from "kysely";
import type { ReviewItemQuery, ReviewItemRow, ReviewKind, ReviewResolution, ReviewStatus } from "../review-queue-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, ReviewQueueItemsTable } from "./schema.js";

type Db = Kysely<Database>;

const toItem = (d: SqlDialect, r: Selectable<ReviewQueueItemsTable>): ReviewItemRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  kind: r.kind as ReviewKind,
  subjectKey: r.subject_key,
  object: r.object,
  recordId: r.record_id,
  otherRecordId: r.other_record_id,
  reason: r.reason,
  detail: d.parseJson(r.detail),
  status: r.status as ReviewStatus,
  resolution: r.resolution as ReviewResolution | null,
  assigneeId: r.assignee_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  note: r.note,
});

export async function getReviewItem(db: Db, d: SqlDialect, workspaceId: string, id: string): Promise<ReviewItemRow | undefined> {
  const r = await db
    .selectFrom("review_queue_items")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toItem(d, r) : undefined;
}

export async function listReviewItems(db: Db, d: SqlDialect, q: ReviewItemQuery): Promise<ReviewItemRow[]> {
  let query = db.selectFrom("review_queue_items").selectAll().where("workspace_id", "=", q.workspaceId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.kind) query = query.where("kind", "=", q.kind);
  if (q.object) query = query.where("object", "=", q.object);
  if (q.assigneeId !== undefined)
    query = q.assigneeId === null ? query.where("assignee_id", "is", null) : query.where("assignee_id", "=", q.assigneeId);
  const recordId = q.recordId;
  if (recordId !== undefined) query = query.where((eb) => eb.or([eb("record_id", "=", recordId), eb("other_record_id", "=", recordId)]));
  const after = q.after;
  if (after)
    query = query.where((eb) =>
      eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]),
    );
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => toItem(d, r));
}

export async function countOpenReviewItems(db: Db, workspaceId: string): Promise<Partial<Record<ReviewKind, number>>> {
  const rows = await db
    .selectFrom("review_queue_items")
    .select(["kind", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("status", "=", "open")
    .groupBy("kind")
    .execute();
  const out: Partial<Record<ReviewKind, number>> = {};
  for (const r of rows) out[r.kind as ReviewKind] = Number(r.n);
  return out;
}

export async function wasDismissed(db: Db, workspaceId: string, subjectKey: string): Promise<boolean> {
  const r = await db
    .selectFrom("review_queue_items")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("subject_key", "=", subjectKey)
    .where("status", "=", "dismissed")
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export async function addReviewItem(db: Db, d: SqlDialect, item: ReviewItemRow): Promise<{ added: boolean; id: string | null }> {
  if (item.kind === "duplicate" && (await wasDismissed(db, item.workspaceId, item.subjectKey))) return { added: false, id: null };
  // The partial unique index decides between concurrent writers; ON CONFLICT keeps a PostgreSQL
  // transaction usable when the item was already open. The target's WHERE is a literal: SQLite
  // matches it to the partial index's `status = 'open'` only as written, not as a bound parameter.
  const inserted = await db
    .insertInto("review_queue_items")
    .values({
      workspace_id: item.workspaceId,
      id: item.id,
      kind: item.kind,
      subject_key: item.subjectKey,
      object: item.object,
      record_id: item.recordId,
      other_record_id: item.otherRecordId,
      reason: item.reason,
      detail: d.json(item.detail),
      status: "open",
      resolution: null,
      assignee_id: item.assigneeId,
      created_by: item.createdBy,
      created_at: item.createdAt,
      resolved_at: null,
      resolved_by: null,
      note: item.note,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "subject_key"]).where(sql.ref("status"), "=", sql.lit("open")).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { added: true, id: inserted.id };
  const open = await db
    .selectFrom("review_queue_items")
    .select("id")
    .where("workspace_id", "=", item.workspaceId)
    .where("subject_key", "=", item.subjectKey)
    .where("status", "=", "open")
    .executeTakeFirst();
  return { added: false, id: open?.id ?? null };
}

export async function assignReviewItem(db: Db, workspaceId: string, id: string, assigneeId: string | null): Promise<boolean> {
  const r = await db
    .updateTable("review_queue_items")
    .set({ assignee_id: assigneeId })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function closeReviewItem(
  db: Db,
  workspaceId: string,
  id: string,
  close: { status: Exclude<ReviewStatus, "open">; resolution: ReviewResolution; by: string; at: string; note: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable("review_queue_items")
    .set({ status: close.status, resolution: close.resolution, resolved_by: close.by, resolved_at: close.at, note: close.note })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function closeReviewItemsByKey(
  db: Db,
  workspaceId: string,
  subjectKeys: readonly string[],
  close: { resolution: ReviewResolution; by: string; at: string },
): Promise<number> {
  if (subjectKeys.length === 0) return 0;
  const status: ReviewStatus = close.resolution === "dismissed" ? "dismissed" : "resolved";
  const r = await db
    .updateTable("review_queue_items")
    .set({ status, resolution: close.resolution, resolved_by: close.by, resolved_at: close.at })
    .where("workspace_id", "=", workspaceId)
    .where("subject_key", "in", subjectKeys)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
