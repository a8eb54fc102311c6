/**
 * A person's inbox: their notifications (newest first, unread only on request, in pages), the
 * unread count the app's header shows, and marking one or all read.
 *
 * Whose inbox: the caller's user — a web session's, or an API token's that was made for a user
 * (the edge says which; a token of no user has no inbox). Admins and integrations may read
 * another user's (`userId`) or, without a user of their own, the workspace's — as the list did
 * before there was an inbox. Marking read is only ever the caller's own: any other id, another
 * user's or another workspace's, is not found.
 */
import type { NotificationView } from "../../store/notification-ports.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError } from "../errors.js";
import type { Clock } from "../ports.js";

const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;

export interface InboxQuery {
  /** Another user's inbox (admins and integrations only). */
  userId?: string | undefined;
  /** "true": only the unread ones; "false" or absent: all. */
  unread?: string | undefined;
  limit?: number | undefined;
  /** The `next_cursor` of the previous page. */
  cursor?: string | undefined;
}

export interface InboxPage {
  items: NotificationView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

/** Who may read another user's notifications. */
const seesAll = (ctx: CallContext) => ctx.role === "admin" || ctx.role === "integration";

/** The cursor is the last notification's (createdAt, id), opaque to the caller. */
const encodeCursor = (n: NotificationView) => Buffer.from(JSON.stringify([n.createdAt, n.id])).toString("base64url");

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" && !Number.isNaN(Date.parse(v[0])))
      return { createdAt: v[0], id: v[1] };
  } catch {
    // falls through to the refusal below
  }
  throw new AppError("bad_request", "cursor is not one this API gave out: pass the `next_cursor` of the previous page", [
    { path: ["cursor"], code: "invalid_value", message: "not a cursor of this list" },
  ]);
}

export class NotificationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Whose notifications a read covers: one user's, or (null) the workspace's. */
  private scope(ctx: CallContext, me: string | undefined, userId: string | undefined): string | null {
    if (userId !== undefined && userId !== me) {
      if (!seesAll(ctx)) throw new AppError("not_found", `user ${userId}'s notifications are seen by admins only`);
      return userId;
    }
    if (me !== undefined) return me;
    // A token of no user: admins and integrations see the workspace's; anyone else has no inbox.
    if (seesAll(ctx)) return null;
    return ctx.actor.id;
  }

  async list(ctx: CallContext, me: string | undefined, q: InboxQuery): Promise<InboxPage> {
    const limit = q.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new AppError("bad_request", `limit must be between 1 and ${MAX_PAGE}`, [
        { path: ["limit"], code: "too_big", message: `expected 1…${MAX_PAGE}, got ${limit}` },
      ]);
    }
    if (q.unread !== undefined && q.unread !== "true" && q.unread !== "false") {
      throw new AppError("bad_request", 'unread must be "true" or "false"', [
        { path: ["unread"], code: "invalid_value", message: `expected true or false, got "${q.unread}"`, expected: ["true", "false"] },
      ]);
    }
    const items = await this.store.notifications.listNotifications({
      workspaceId: ctx.workspaceId,
      userId: this.scope(ctx, me, q.userId),
      limit,
      ...(q.unread === "true" ? { unreadOnly: true } : {}),
      ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
    });
    const last = items.at(-1);
    return { items, next: items.length === limit && last ? encodeCursor(last) : null };
  }

  unreadCount(ctx: CallContext, me: string | undefined, userId?: string): Promise<number> {
    return this.store.notifications.countUnreadNotifications(ctx.workspaceId, this.scope(ctx, me, userId));
  }

  /** Marks the caller's notification read (again: no change); not found for anyone else's. */
  async markRead(ctx: CallContext, me: string | undefined, id: string): Promise<NotificationView> {
    const at = this.clock.now().toISOString();
    const note =
      me === undefined
        ? undefined
        : await this.store.transaction((tx) => tx.notifications.markNotificationRead(ctx.workspaceId, me, id, at));
    if (!note) throw new AppError("not_found", `notification ${id} not found in your notifications`);
    return note;
  }

  /** Marks every unread notification of the caller read; how many. */
  async markAllRead(ctx: CallContext, me: string | undefined): Promise<number> {
    if (me === undefined) {
      throw new AppError(
        "not_found",
        "this API token belongs to no user, so it has no notifications to mark: sign in, or use a user's token",
      );
    }
    const at = this.clock.now().toISOString();
    return this.store.transaction((tx) => tx.notifications.markAllNotificationsRead(ctx.workspaceId, me, at));
  }
}
