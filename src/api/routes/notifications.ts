/**
 * A person's inbox: `GET /api/v1/notifications` (pages, `unread=true`), the unread count the
 * app's header polls, and marking one or all read. Registered before the record routes: their
 * `/api/v1/{objects}/{id}` would otherwise take `/api/v1/notifications/unread-count`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Services } from "../../composition/root.js";
import type { NotificationView } from "../../store/notification-ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { intParam } from "../request.js";

const notification = z.object({
  id: z.string(),
  user_id: z.string(),
  message: z.string(),
  record_id: z.string().nullable(),
  record_object: z.string().nullable().describe("The object of `record_id` (lead, deal …); null when there is none or it was deleted"),
  run_id: z.string().nullable(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});

export const presentNotification = (n: NotificationView): z.infer<typeof notification> => ({
  id: n.id,
  user_id: n.userId,
  message: n.message,
  record_id: n.recordId,
  record_object: n.recordObject,
  run_id: n.runId,
  created_at: n.createdAt,
  read_at: n.readAt,
});

/**
 * The user whose inbox this call is: a web session's user (caller `user:<id>`), or the user an API
 * token was made for (its actor is that user; a token of no user acts as itself, `token:<id>`).
 */
export function inboxOwner(c: Context<ApiEnv>): string | undefined {
  const call = c.get("call");
  const caller = c.get("caller");
  if (call.actor.kind !== "person") return undefined;
  if (caller.startsWith("user:")) return call.actor.id;
  return caller === `token:${call.actor.id}` ? undefined : call.actor.id;
}

export function notificationRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Notifications"];
  const inbox = services.notifications;

  reg.registerPath({
    method: "get",
    path: "/api/v1/notifications",
    tags,
    security,
    summary: "The caller's notifications, newest first (admins: another user's with user_id; a token of no user: the workspace's)",
    request: {
      query: z.object({
        unread: z.enum(["true", "false"]).optional().describe("true: only the unread ones"),
        user_id: z.string().optional().describe("another user's notifications (admins and integrations)"),
        limit: z.string().optional().describe("1–200, default 50"),
        cursor: z.string().optional().describe("the `next_cursor` of the previous page"),
      }),
    },
    responses: {
      200: { description: "A page", ...json(z.object({ data: z.array(notification), next_cursor: z.string().nullable() })) },
      400: problemJson("A bad limit, unread or cursor (the problem names it)"),
      404: problemJson("Another user's notifications, asked for by someone who is not an admin"),
    },
  });
  app.get("/api/v1/notifications", async (c) => {
    const page = await inbox.list(c.get("call"), inboxOwner(c), {
      userId: c.req.query("user_id") || undefined,
      unread: c.req.query("unread"),
      limit: intParam(c, "limit"),
      cursor: c.req.query("cursor") || undefined,
    });
    return c.json({ data: page.items.map(presentNotification), next_cursor: page.next });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/notifications/unread-count",
    tags,
    security,
    summary: "How many of the caller's notifications are unread (one indexed count: cheap enough to poll)",
    request: { query: z.object({ user_id: z.string().optional().describe("another user's (admins and integrations)") }) },
    responses: { 200: { description: "The count", ...json(z.object({ unread: z.number().int() })) } },
  });
  app.get("/api/v1/notifications/unread-count", async (c) => {
    const unread = await inbox.unreadCount(c.get("call"), inboxOwner(c), c.req.query("user_id") || undefined);
    return c.json({ unread }, 200, { "cache-control": "no-store" });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/notifications/{id}/read",
    tags,
    security,
    summary: "Mark one of your notifications read (again: unchanged, the first read_at kept)",
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: { description: "The notification, read", ...json(notification) },
      404: problemJson("Not one of your notifications (another user's, another workspace's, or none)"),
    },
  });
  app.post("/api/v1/notifications/:id/read", async (c) =>
    c.json(presentNotification(await inbox.markRead(c.get("call"), inboxOwner(c), c.req.param("id")))),
  );

  reg.registerPath({
    method: "post",
    path: "/api/v1/notifications/read-all",
    tags,
    security,
    summary: "Mark all your unread notifications read",
    responses: {
      200: { description: "How many were marked (0 when none was unread)", ...json(z.object({ marked: z.number().int() })) },
      404: problemJson("An API token of no user: it has no notifications"),
    },
  });
  app.post("/api/v1/notifications/read-all", async (c) => c.json({ marked: await inbox.markAllRead(c.get("call"), inboxOwner(c)) }));
}
