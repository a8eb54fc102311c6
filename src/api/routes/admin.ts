/** Schema (objects and custom fields), tokens, the event log and "who am I". */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import type { Services } from "../../composition/root.js";
import { fieldsOf } from "../../crm/custom-fields.js";
import { CUSTOM_FIELD_TYPES, isObjectName, type ObjectName } from "../../crm/fields.js";
import { operatorsFor } from "../../crm/filter.js";
import { ACTIVITY_TYPES, OBJECTS, ROLES } from "../../crm/objects.js";
import { canAdmin } from "../../crm/permissions.js";
import type { ApiEnv } from "../env.js";
import { presentEvent } from "../present.js";
import { intParam, jsonBody } from "../request.js";
import { showOnce } from "../shown-once.js";

function objectParam(name: string): ObjectName {
  if (!isObjectName(name)) {
    throw new AppError("not_found", `no object "${name}"`, [
      { path: ["object"], code: "not_in_options", message: `unknown object "${name}"`, expected: Object.keys(OBJECTS) },
    ]);
  }
  return name;
}

export function adminRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

  reg.registerPath({
    method: "get",
    path: "/api/v1/me",
    tags: ["Workspace"],
    security,
    summary: "The token's workspace and role",
    responses: { 200: { description: "Caller", ...json(z.object({ workspace: z.unknown(), role: z.enum(ROLES), actor: z.unknown() })) } },
  });
  app.get("/api/v1/me", async (c) => {
    const call = c.get("call");
    const workspace = await services.store.workspaces.getWorkspace(call.workspaceId);
    return c.json({ workspace, role: call.role, actor: call.actor });
  });

  const settingsSchema = z.object({
    last_activity: z
      .object({
        made_by: z.array(z.enum(["person", "contact", "handoff"])),
        types: z.array(z.enum(ACTIVITY_TYPES)),
      })
      .optional(),
    merge_undo_days: z.number().int().min(0).max(365).optional().describe("days a record merge can be undone (default 7)"),
    email_tracking: z
      .object({
        opens: z.boolean().optional().describe("a tracking pixel in HTML emails records `email_opened` activities (default off)"),
        clicks: z
          .boolean()
          .optional()
          .describe("links in HTML emails go through signed redirects that record `email_clicked` (default off)"),
      })
      .optional()
      .describe('email engagement tracking, a privacy switch (docs/scoring.md, "Email engagement tracking")'),
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/workspace/settings",
    tags: ["Workspace"],
    security,
    summary:
      "The workspace's settings, defaults filled in: which activities count as a record's last activity, the merge undo window, email tracking",
    responses: { 200: { description: "Settings", ...json(settingsSchema) } },
  });
  app.get("/api/v1/workspace/settings", async (c) => c.json(await services.workspaces.settings(c.get("call"))));
  reg.registerPath({
    method: "patch",
    path: "/api/v1/workspace/settings",
    tags: ["Workspace"],
    security,
    summary: "Change settings (admins); the fields given replace theirs",
    request: { body: json(settingsSchema) },
    responses: { 200: { description: "Settings", ...json(settingsSchema) }, 422: { description: "Invalid" } },
  });
  app.patch("/api/v1/workspace/settings", async (c) => c.json(await services.workspaces.updateSettings(c.get("call"), await jsonBody(c))));

  reg.registerPath({
    method: "get",
    path: "/api/v1/objects",
    tags: ["Schema"],
    security,
    summary: "Objects with their fields (built-in and custom) and filter operators",
    responses: { 200: { description: "Objects", ...json(z.object({ data: z.array(z.unknown()) })) } },
  });
  app.get("/api/v1/objects", async (c) => {
    const custom = await services.customFields.list(c.get("call"));
    const data = Object.values(OBJECTS).map((def) => ({
      name: def.name,
      plural: def.plural,
      label: def.label,
      fields: fieldsOf(def.name, custom).map((f) => ({
        name: f.name,
        type: f.type,
        label: f.label,
        required: f.required ?? false,
        managed: f.managed ?? false,
        custom: f.custom ?? false,
        ...(f.options ? { options: f.options } : {}),
        ...(f.references ? { references: f.references } : {}),
        // A string that names something configured (a business calendar): the forms offer a select of them.
        ...(f.names ? { names: f.names } : {}),
        operators: operatorsFor(f),
      })),
    }));
    return c.json({ data });
  });

  const customFieldBody = z.object({
    name: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    label: z.string().optional(),
    required: z.boolean().optional(),
    options: z.array(z.string()).optional(),
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/objects/{object}/fields",
    tags: ["Schema"],
    security,
    summary: "Custom fields of an object",
    request: { params: z.object({ object: z.string() }) },
    responses: { 200: { description: "Custom fields", ...json(z.object({ data: z.array(customFieldBody) })) } },
  });
  app.get("/api/v1/objects/:object/fields", async (c) => {
    const data = await services.customFields.list(c.get("call"), objectParam(c.req.param("object")));
    return c.json({ data });
  });
  reg.registerPath({
    method: "post",
    path: "/api/v1/objects/{object}/fields",
    tags: ["Schema"],
    security,
    summary: "Define a custom field (admin)",
    request: { params: z.object({ object: z.string() }), body: json(customFieldBody) },
    responses: {
      201: { description: "Created", ...json(customFieldBody) },
      409: { description: "Exists" },
      422: { description: "Invalid" },
    },
  });
  app.post("/api/v1/objects/:object/fields", async (c) => {
    const created = await services.customFields.create(c.get("call"), objectParam(c.req.param("object")), await jsonBody(c));
    return c.json(created, 201);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/events",
    tags: ["Events"],
    security,
    summary:
      "Domain events after a position, in commit order: record.created/updated/deleted, external.received (with `source`), sla.warning/sla.breached/sla.escalated (`source`: the policy's name; `detail`: policy_id, policy_name, clock_id, milestone, level, due_at), record.review_queued (`source`: the kind; `detail`: item_id, kind, reason, other_record_id), record.email_engaged (`source`: opened or clicked; `detail`: message_id, activity_id, subject, url)",
    request: { query: z.object({ after: z.string().optional(), limit: z.string().optional() }) },
    responses: { 200: { description: "Events", ...json(z.object({ data: z.array(z.unknown()), last_position: z.number().int() })) } },
  });
  app.get("/api/v1/events", async (c) => {
    const after = intParam(c, "after") ?? 0;
    const events = await services.events.after(c.get("call"), after, intParam(c, "limit") ?? 100);
    return c.json({ data: events.map(presentEvent), last_position: events.at(-1)?.position ?? after });
  });

  const tokenOut = z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/tokens",
    tags: ["Tokens"],
    security,
    summary: "API tokens of the workspace (admin; secrets are never shown again)",
    responses: { 200: { description: "Tokens", ...json(z.object({ data: z.array(tokenOut) })) } },
  });
  app.get("/api/v1/tokens", async (c) => {
    const call = c.get("call");
    if (!canAdmin(call.role, "manage_tokens")) throw new AppError("not_found", "tokens are managed by admins");
    const tokens = await services.tokens.list(call);
    return c.json({
      data: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        role: t.role,
        user_id: t.userId,
        created_at: t.createdAt,
        revoked_at: t.revokedAt,
      })),
    });
  });
  reg.registerPath({
    method: "post",
    path: "/api/v1/tokens",
    tags: ["Tokens"],
    security,
    summary: "Create a token (admin); the secret is in this response only",
    request: { body: json(z.object({ name: z.string(), role: z.enum(ROLES), user_id: z.string().optional() })) },
    responses: { 201: { description: "Created", ...json(tokenOut.extend({ token: z.string() })) } },
  });
  app.post("/api/v1/tokens", async (c) => {
    const call = c.get("call");
    if (!canAdmin(call.role, "manage_tokens")) throw new AppError("not_found", "tokens are managed by admins");
    const body = (await jsonBody(c)) as { name?: unknown; role?: unknown; user_id?: unknown };
    const userId = typeof body?.user_id === "string" ? body.user_id : null;
    if (userId) {
      const user = await services.store.records.getRecord(call.workspaceId, userId);
      if (user?.object !== "user")
        throw new AppError("validation", "unknown user", [
          { path: ["user_id"], code: "invalid_reference", message: `no user with id "${userId}"` },
        ]);
    }
    const created = await services.tokens.create(call.workspaceId, String(body?.name ?? ""), String(body?.role ?? ""), userId);
    const t = created.token;
    showOnce(c, "token");
    return c.json(
      { id: t.id, name: t.name, role: t.role, user_id: t.userId, created_at: t.createdAt, revoked_at: null, token: created.secret },
      201,
    );
  });
  reg.registerPath({
    method: "delete",
    path: "/api/v1/tokens/{id}",
    tags: ["Tokens"],
    security,
    summary: "Revoke a token (admin)",
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: "Revoked" } },
  });
  app.delete("/api/v1/tokens/:id", async (c) => {
    const call = c.get("call");
    if (!canAdmin(call.role, "manage_tokens")) throw new AppError("not_found", "tokens are managed by admins");
    await services.tokens.revoke(call, c.req.param("id"));
    return c.body(null, 204);
  });
}
