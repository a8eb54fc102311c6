/**
 * The data review queue as people work it (issue 20, item 5; docs/data-quality.md, "The review
 * queue"): list and filter, read one item, put a record in the queue by hand, assign, and close —
 * resolved (the record was fixed; a merge resolves a pair itself) or dismissed (a dismissed pair is
 * never suggested again).
 *
 * Who may do what: everyone reads (every role reads every record). Admins and managers assign
 * items to anyone and close any item; reps and integrations take an unassigned item for themselves,
 * give back their own, and close items that are theirs or nobody's. An item another person holds is
 * theirs to close: the 403 names who holds it.
 */
import type { ObjectName } from "../../crm/fields.js";
import { isObjectName } from "../../crm/fields.js";
import type { Store, StoreReads, StoreTx } from "../../store/ports.js";
import { REVIEW_KINDS, REVIEW_STATUSES, type ReviewItemRow, type ReviewKind, type ReviewStatus } from "../../store/review-queue-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { displayName } from "../routing/names.js";
import { enqueueReview } from "./enqueue.js";

export const REVIEW_NOTE_MAX = 2_000;
export const REVIEW_REASON_MAX = 500;
const PAGE_MAX = 200;

export interface ReviewItemView {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  resolution: ReviewItemRow["resolution"];
  object: string;
  record: { id: string; name: string; exists: boolean };
  /** `object`: the other record's object (a lead's pair may be a contact); null once it is gone. */
  other_record: { id: string; name: string; exists: boolean; object: string | null } | null;
  reason: string;
  detail: unknown;
  assignee: { id: string; name: string } | null;
  created_by: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  note: string | null;
}

export interface ReviewListFilter {
  status?: string | undefined;
  kind?: string | undefined;
  object?: string | undefined;
  /** `me`, `unassigned`, or a user id. */
  assignee?: string | undefined;
  recordId?: string | undefined;
  cursor?: string | undefined;
  limit?: string | number | undefined;
}

export interface ReviewPage {
  data: ReviewItemView[];
  next_cursor: string | null;
  open_counts: Partial<Record<ReviewKind, number>>;
}

const oneOf = <T extends string>(name: string, allowed: readonly T[], value: string | undefined): T | undefined => {
  if (value === undefined || value === "") return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid([{ path: [name], code: "invalid_value", message: `expected one of ${allowed.join(", ")}`, expected: [...allowed] }]);
};

const manages = (ctx: CallContext) => ctx.role === "admin" || ctx.role === "manager";
const actorRef = (ctx: CallContext) => `${ctx.actor.kind}:${ctx.actor.id}`;

export class ReviewQueue {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext, filter: ReviewListFilter): Promise<ReviewPage> {
    const status = oneOf("status", REVIEW_STATUSES, filter.status);
    const kind = oneOf("kind", REVIEW_KINDS, filter.kind);
    if (filter.object !== undefined && filter.object !== "" && !isObjectName(filter.object))
      throw invalid([{ path: ["object"], code: "invalid_value", message: `unknown object "${filter.object}"` }]);
    const limit = filter.limit === undefined ? 50 : Number(filter.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX)
      throw invalid([{ path: ["limit"], code: "invalid_value", message: `an integer from 1 to ${PAGE_MAX}` }]);
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const assigneeId =
      filter.assignee === undefined || filter.assignee === ""
        ? undefined
        : filter.assignee === "unassigned"
          ? null
          : filter.assignee === "me"
            ? ctx.actor.id
            : filter.assignee;
    const rows = await this.store.reviewQueue.listReviewItems({
      workspaceId: ctx.workspaceId,
      status,
      kind,
      object: filter.object || undefined,
      assigneeId,
      recordId: filter.recordId || undefined,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: await this.views(this.store, ctx, page),
      next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
      open_counts: await this.store.reviewQueue.countOpenReviewItems(ctx.workspaceId),
    };
  }

  async get(ctx: CallContext, id: string): Promise<ReviewItemView> {
    const row = await this.row(this.store, ctx, id);
    const [view] = await this.views(this.store, ctx, [row]);
    return view as ReviewItemView;
  }

  /** A person (or an integration) puts a record in the queue: "needs review", with the reason. */
  async add(ctx: CallContext, input: unknown): Promise<ReviewItemView> {
    checkIncomingJson(input, []);
    const body = (typeof input === "object" && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !["record_id", "reason", "assignee_id"].includes(k));
    if (unknown.length > 0)
      throw invalid([{ path: [unknown[0] as string], code: "unknown_field", message: "expected record_id, reason, assignee_id" }]);
    const issues = [];
    if (typeof body.record_id !== "string" || body.record_id === "")
      issues.push({ path: ["record_id"], code: "required" as const, message: "the record to review" });
    if (typeof body.reason !== "string" || body.reason.trim() === "" || body.reason.length > REVIEW_REASON_MAX)
      issues.push({
        path: ["reason"],
        code: "invalid_value" as const,
        message: `why it needs review, 1 to ${REVIEW_REASON_MAX} characters`,
      });
    if (body.assignee_id !== undefined && body.assignee_id !== null && typeof body.assignee_id !== "string")
      issues.push({ path: ["assignee_id"], code: "invalid_type" as const, message: "a user id or null" });
    if (issues.length > 0) throw invalid(issues);
    const assigneeId = (body.assignee_id as string | null | undefined) ?? null;
    if (assigneeId !== null && assigneeId !== ctx.actor.id && !manages(ctx))
      throw new AppError("forbidden", "only admins and managers put work in someone else's hands");
    const id = await this.store.transaction(async (tx) => {
      const record = await tx.records.getRecord(ctx.workspaceId, body.record_id as string);
      if (!record) throw notFound(`record ${body.record_id}`);
      if (assigneeId !== null) await this.checkUser(tx, ctx, assigneeId, ["assignee_id"]);
      const reason = (body.reason as string).trim();
      const queued = await this.queue(tx, ctx, { object: record.object, recordId: record.id, reason, assigneeId });
      return queued.id;
    });
    if (!id) throw new AppError("conflict", "the record could not be queued");
    return this.get(ctx, id);
  }

  /** A workflow step's or a person's "needs review" inside a transaction: the open item's id. */
  queue(
    tx: StoreTx,
    ctx: CallContext,
    item: { object: ObjectName; recordId: string; reason: string; assigneeId?: string | null; label?: string },
  ): Promise<{ added: boolean; id: string | null }> {
    return enqueueReview(tx, this.ids, ctx, this.clock.now().toISOString(), {
      kind: "manual",
      object: item.object,
      recordId: item.recordId,
      about: item.label ?? item.reason.slice(0, 80),
      reason: item.reason,
      detail: { label: item.label ?? null, by: actorRef(ctx) },
      assigneeId: item.assigneeId ?? null,
    });
  }

  async assign(ctx: CallContext, id: string, input: unknown): Promise<ReviewItemView> {
    checkIncomingJson(input, []);
    const body = (typeof input === "object" && input !== null && !Array.isArray(input) ? input : undefined) as
      | Record<string, unknown>
      | undefined;
    if (!body || !("assignee_id" in body) || (body.assignee_id !== null && typeof body.assignee_id !== "string"))
      throw invalid([{ path: ["assignee_id"], code: "required", message: "a user id, or null to give it back" }]);
    const assigneeId = body.assignee_id as string | null;
    await this.store.transaction(async (tx) => {
      const row = await this.row(tx, ctx, id);
      if (row.status !== "open") throw new AppError("conflict", `this item is ${row.status} already`);
      if (!manages(ctx)) {
        const taking = assigneeId === ctx.actor.id && row.assigneeId === null;
        const givingBack = assigneeId === null && row.assigneeId === ctx.actor.id;
        if (!taking && !givingBack)
          throw new AppError("forbidden", "you can take an unassigned item or give back your own; admins and managers assign to others");
      }
      if (assigneeId !== null) await this.checkUser(tx, ctx, assigneeId, ["assignee_id"]);
      if (!(await tx.reviewQueue.assignReviewItem(ctx.workspaceId, id, assigneeId)))
        throw new AppError("conflict", "this item was closed meanwhile");
    });
    return this.get(ctx, id);
  }

  resolve(ctx: CallContext, id: string, input: unknown): Promise<ReviewItemView> {
    return this.close(ctx, id, input, "resolved");
  }

  dismiss(ctx: CallContext, id: string, input: unknown): Promise<ReviewItemView> {
    return this.close(ctx, id, input, "dismissed");
  }

  private async close(ctx: CallContext, id: string, input: unknown, status: "resolved" | "dismissed"): Promise<ReviewItemView> {
    checkIncomingJson(input, []);
    const body = (typeof input === "object" && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => k !== "note");
    if (unknown.length > 0) throw invalid([{ path: [unknown[0] as string], code: "unknown_field", message: "expected note" }]);
    if (body.note !== undefined && (typeof body.note !== "string" || body.note.length > REVIEW_NOTE_MAX))
      throw invalid([{ path: ["note"], code: "invalid_value", message: `a note of at most ${REVIEW_NOTE_MAX} characters` }]);
    const note = typeof body.note === "string" && body.note.trim() !== "" ? body.note.trim() : null;
    await this.store.transaction(async (tx) => {
      const row = await this.row(tx, ctx, id);
      if (row.status !== "open") throw new AppError("conflict", `this item is ${row.status} already`);
      if (!manages(ctx) && row.assigneeId !== null && row.assigneeId !== ctx.actor.id) {
        const holder = await tx.records.getRecord(ctx.workspaceId, row.assigneeId);
        throw new AppError("forbidden", `${holder ? displayName(holder) : row.assigneeId} holds this item: it is theirs to close`);
      }
      const closed = await tx.reviewQueue.closeReviewItem(ctx.workspaceId, id, {
        status,
        resolution: status === "dismissed" ? "dismissed" : "fixed",
        by: actorRef(ctx),
        at: this.clock.now().toISOString(),
        note,
      });
      if (!closed) throw new AppError("conflict", "this item was closed meanwhile");
    });
    return this.get(ctx, id);
  }

  private async row(reads: StoreReads, ctx: CallContext, id: string): Promise<ReviewItemRow> {
    const row = await reads.reviewQueue.getReviewItem(ctx.workspaceId, id);
    if (!row) throw notFound(`review item ${id}`);
    return row;
  }

  private async checkUser(reads: StoreReads, ctx: CallContext, id: string, path: string[]): Promise<void> {
    const user = await reads.records.getRecord(ctx.workspaceId, id);
    if (user?.object !== "user") throw invalid([{ path, code: "invalid_reference", message: `no user ${id} in this workspace` }]);
  }

  private async views(reads: StoreReads, ctx: CallContext, rows: readonly ReviewItemRow[]): Promise<ReviewItemView[]> {
    const ids = new Set<string>();
    for (const r of rows) {
      ids.add(r.recordId);
      if (r.otherRecordId) ids.add(r.otherRecordId);
      if (r.assigneeId) ids.add(r.assigneeId);
    }
    const found = await reads.records.getRecords(ctx.workspaceId, [...ids]);
    const byId = new Map(found.map((r) => [r.id, r]));
    const ref = (id: string) => {
      const r = byId.get(id);
      return { id, name: r ? displayName(r) : id, exists: r !== undefined };
    };
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      resolution: r.resolution,
      object: r.object,
      record: ref(r.recordId),
      other_record: r.otherRecordId ? { ...ref(r.otherRecordId), object: byId.get(r.otherRecordId)?.object ?? null } : null,
      reason: r.reason,
      detail: r.detail,
      assignee: r.assigneeId ? { id: r.assigneeId, name: ref(r.assigneeId).name } : null,
      created_by: r.createdBy,
      created_at: r.createdAt,
      resolved_at: r.resolvedAt,
      resolved_by: r.resolvedBy,
      note: r.note,
    }));
  }
}

function encodeCursor(r: ReviewItemRow): string {
  return Buffer.from(JSON.stringify([r.createdAt, r.id])).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id };
  } catch {
    // Falls through to the problem below.
  }
  throw invalid([{ path: ["cursor"], code: "invalid_value", message: "not a cursor this list gave out" }]);
}
