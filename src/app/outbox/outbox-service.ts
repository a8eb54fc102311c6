/**
 * The outbox as people see it: what is pending, delivered or dead, and replaying a dead letter
 * (pending again now, same idempotency key, attempts from zero, who replayed recorded).
 * Admins and managers only; to anyone else the outbox does not exist (404).
 */
import type { OutboxRow, OutboxStatus } from "../../store/outbox-ports.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError } from "../errors.js";
import type { Clock, Nudge } from "../ports.js";

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ["pending", "delivered", "dead"];
/** What the list filters by: a stored status, or `failing` — pending again after a failed attempt (being retried). */
export const OUTBOX_FILTERS = [...OUTBOX_STATUSES, "failing"] as const;
const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;

export interface OutboxPage {
  items: OutboxRow[];
  /** Pass as `before` for the next page; null on the last one. */
  next: string | null;
}

function requireManager(ctx: CallContext) {
  if (ctx.role !== "admin" && ctx.role !== "manager")
    throw new AppError("not_found", `the outbox is managed by admins and managers, not role ${ctx.role}`);
}

export class OutboxService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** After a replay commits: items due now for the in-process dispatcher. */
    private readonly onReplay: Nudge,
  ) {}

  async list(
    ctx: CallContext,
    q: { status?: string | undefined; limit?: number | undefined; before?: string | undefined },
  ): Promise<OutboxPage> {
    requireManager(ctx);
    const status = q.status;
    if (status !== undefined && !(OUTBOX_FILTERS as readonly string[]).includes(status)) {
      throw new AppError("bad_request", `status must be one of ${OUTBOX_FILTERS.join(", ")}`, [
        { path: ["status"], code: "not_in_options", message: `"${status}" is not an outbox status`, expected: OUTBOX_FILTERS },
      ]);
    }
    const limit = q.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new AppError("bad_request", `limit must be between 1 and ${MAX_PAGE}`, [
        { path: ["limit"], code: "too_big", message: `expected 1…${MAX_PAGE}, got ${limit}` },
      ]);
    }
    const items = await this.store.outbox.listOutbox({
      workspaceId: ctx.workspaceId,
      limit,
      ...(status === "failing" ? { status: "pending" as const, attempted: true } : status ? { status: status as OutboxStatus } : {}),
      ...(q.before ? { beforeId: q.before } : {}),
    });
    return { items, next: items.length === limit ? (items.at(-1)?.id ?? null) : null };
  }

  async get(ctx: CallContext, id: string): Promise<OutboxRow> {
    requireManager(ctx);
    const item = await this.store.outbox.getOutboxItem(ctx.workspaceId, id);
    if (!item) throw new AppError("not_found", `no outbox item ${id}`);
    return item;
  }

  /** Every delivery attempt of an item, oldest first (the same the run log shows). */
  async attempts(ctx: CallContext, id: string) {
    const item = await this.get(ctx, id);
    return this.store.outbox.listOutboxAttempts(ctx.workspaceId, [item.id]);
  }

  async replay(ctx: CallContext, id: string): Promise<OutboxRow> {
    requireManager(ctx);
    const by = `${ctx.actor.kind}:${ctx.actor.id}`;
    const now = this.clock.now().toISOString();
    const replayed = await this.store.transaction((tx) => tx.outbox.replayDeadLetter(ctx.workspaceId, id, by, now));
    if (!replayed) {
      const item = await this.get(ctx, id);
      throw new AppError("conflict", `outbox item ${id} is ${item.status}; only dead letters can be replayed`, [
        { path: ["status"], code: "invalid_value", message: `is ${item.status}, expected dead`, expected: "dead" },
      ]);
    }
    this.onReplay();
    return replayed;
  }
}
