/** Admin API of inbound hooks, hosted forms and outbound webhook subscriptions (admins only). */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { CallContext } from "../../app/context.js";
import type { Services } from "../../composition/root.js";
import type { FormRow, InboundHookRow, WebhookSubscriptionRow } from "../../store/inbound-ports.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";
import { showOnce } from "../shown-once.js";

export function presentHook(h: InboundHookRow) {
  return {
    id: h.id,
    key: h.key,
    name: h.name,
    object: h.object,
    url: `/hooks/${h.key}`,
    mapping: h.mapping,
    defaults: h.defaults,
    match_on: h.matchOn,
    rate_per_min: h.ratePerMin,
    previous_secret_valid_until: h.previousSecretSealed ? h.previousExpiresAt : null,
    created_at: h.createdAt,
    updated_at: h.updatedAt,
  };
}

export function presentForm(f: FormRow) {
  return {
    id: f.id,
    key: f.key,
    url: `/forms/${f.key}`,
    title: f.title,
    intro: f.intro,
    object: f.object,
    fields: f.fields,
    hidden: f.hidden,
    success_message: f.successMessage,
    rate_per_min: f.ratePerMin,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

export function presentSubscription(s: WebhookSubscriptionRow) {
  return {
    id: s.id,
    url: s.url,
    description: s.description,
    events: s.events,
    active: s.active,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

type Method = "get" | "post" | "patch" | "delete";

export function inboundAdminRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const { hooks, forms, subscriptions } = services.inbound;
  const reg = app.openAPIRegistry;
  const doc = (method: Method, path: string, tag: string, summary: string, status = 200) =>
    reg.registerPath({
      method,
      path,
      tags: [tag],
      security: [{ bearer: [] }, { session: [] }] as Array<Record<string, string[]>>,
      summary,
      ...(path.includes("{") ? { request: { params: z.object({ [path.includes("{id}") ? "id" : "key"]: z.string() }) } } : {}),
      responses: {
        [status]: { description: "OK", content: { "application/json": { schema: z.unknown() } } },
        404: { description: "Unknown, or not visible to this role" },
        422: { description: "Invalid, with the path of each problem" },
      },
    });

  /** List, read, change and delete: the same four routes for each of the three resources. */
  const resource = <T>(
    base: string,
    param: "key" | "id",
    tag: string,
    service: {
      list(call: CallContext): Promise<T[]>;
      get(call: CallContext, id: string): Promise<T>;
      update(call: CallContext, id: string, body: unknown): Promise<T>;
      delete(call: CallContext, id: string): Promise<void>;
    },
    present: (row: T) => unknown,
    summaries: { list: string; get: string; patch: string; delete: string },
  ) => {
    const one = `${base}/{${param}}`;
    const route = `${base}/:${param}`;
    doc("get", base, tag, summaries.list);
    app.get(base, async (c) => c.json({ data: (await service.list(c.get("call"))).map(present) }));
    doc("get", one, tag, summaries.get);
    app.get(route, async (c) => c.json(present(await service.get(c.get("call"), c.req.param(param) ?? ""))));
    doc("patch", one, tag, summaries.patch);
    app.patch(route, async (c) => c.json(present(await service.update(c.get("call"), c.req.param(param) ?? "", await jsonBody(c)))));
    doc("delete", one, tag, summaries.delete, 204);
    app.delete(route, async (c) => {
      await service.delete(c.get("call"), c.req.param(param) ?? "");
      return c.body(null, 204);
    });
  };

  resource("/api/v1/inbound-hooks", "key", "Inbound hooks", hooks, presentHook, {
    list: "Inbound hooks of the workspace (admin)",
    get: "One hook (never its secret)",
    patch: "Change name, mapping, defaults, match_on or rate",
    delete: "Delete a hook (its URL answers 404 from then on)",
  });
  doc("post", "/api/v1/inbound-hooks", "Inbound hooks", "Create a hook; its signing secret is in this response only", 201);
  app.post("/api/v1/inbound-hooks", async (c) => {
    const { hook, secret } = await hooks.create(c.get("call"), await jsonBody(c));
    showOnce(c, "secret");
    return c.json({ ...presentHook(hook), secret }, 201);
  });
  doc(
    "post",
    "/api/v1/inbound-hooks/{key}/rotate-secret",
    "Inbound hooks",
    "New secret (shown once); the previous one stays valid for 24 h",
  );
  app.post("/api/v1/inbound-hooks/:key/rotate-secret", async (c) => {
    const { hook, secret } = await hooks.rotateSecret(c.get("call"), c.req.param("key"));
    showOnce(c, "secret");
    return c.json({ ...presentHook(hook), secret });
  });

  resource("/api/v1/forms", "key", "Forms", forms, presentForm, {
    list: "Hosted web forms of the workspace (admin)",
    get: "One form",
    patch: "Change a form",
    delete: "Delete a form",
  });
  doc("post", "/api/v1/forms", "Forms", "Create a form for leads or tickets", 201);
  app.post("/api/v1/forms", async (c) => c.json(presentForm(await forms.create(c.get("call"), await jsonBody(c))), 201));

  resource("/api/v1/webhook-subscriptions", "id", "Webhook subscriptions", subscriptions, presentSubscription, {
    list: "Outbound webhook subscriptions (admin)",
    get: "One subscription (never its secret)",
    patch: "Change url, description, events or active",
    delete: "Delete a subscription",
  });
  doc(
    "post",
    "/api/v1/webhook-subscriptions",
    "Webhook subscriptions",
    "Subscribe a URL to events; the whsec_ secret is in this response only",
    201,
  );
  app.post("/api/v1/webhook-subscriptions", async (c) => {
    const { subscription, secret } = await subscriptions.create(c.get("call"), await jsonBody(c));
    showOnce(c, "secret");
    return c.json({ ...presentSubscription(subscription), secret }, 201);
  });
  doc(
    "post",
    "/api/v1/webhook-subscriptions/{id}/rotate-secret",
    "Webhook subscriptions",
    "New whsec_ secret, shown once, used from the next delivery",
  );
  app.post("/api/v1/webhook-subscriptions/:id/rotate-secret", async (c) => {
    const { subscription, secret } = await subscriptions.rotateSecret(c.get("call"), c.req.param("id"));
    showOnce(c, "secret");
    return c.json({ ...presentSubscription(subscription), secret });
  });
}
