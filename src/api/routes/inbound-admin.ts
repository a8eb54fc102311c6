/** Admin API of inbound hooks, hosted forms and outbound webhook subscriptions (admins only). */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Services } from "../../composition/root.js";
import type { FormRow, InboundHookRow, WebhookSubscriptionRow } from "../../store/inbound-ports.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";

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
      security: [{ bearer: [] }],
      summary,
      ...(path.includes("{") ? { request: { params: z.object({ [path.includes("{id}") ? "id" : "key"]: z.string() }) } } : {}),
      responses: {
        [status]: { description: "OK", content: { "application/json": { schema: z.unknown() } } },
        404: { description: "Unknown, or not visible to this role" },
        422: { description: "Invalid, with the path of each problem" },
      },
    });

  doc("get", "/api/v1/inbound-hooks", "Inbound hooks", "Inbound hooks of the workspace (admin)");
  app.get("/api/v1/inbound-hooks", async (c) => c.json({ data: (await hooks.list(c.get("call"))).map(presentHook) }));
  doc("post", "/api/v1/inbound-hooks", "Inbound hooks", "Create a hook; its signing secret is in this response only", 201);
  app.post("/api/v1/inbound-hooks", async (c) => {
    const { hook, secret } = await hooks.create(c.get("call"), await jsonBody(c));
    return c.json({ ...presentHook(hook), secret }, 201);
  });
  doc("get", "/api/v1/inbound-hooks/{key}", "Inbound hooks", "One hook (never its secret)");
  app.get("/api/v1/inbound-hooks/:key", async (c) => c.json(presentHook(await hooks.get(c.get("call"), c.req.param("key")))));
  doc("patch", "/api/v1/inbound-hooks/{key}", "Inbound hooks", "Change name, mapping, defaults, match_on or rate");
  app.patch("/api/v1/inbound-hooks/:key", async (c) =>
    c.json(presentHook(await hooks.update(c.get("call"), c.req.param("key"), await jsonBody(c)))),
  );
  doc("delete", "/api/v1/inbound-hooks/{key}", "Inbound hooks", "Delete a hook (its URL answers 404 from then on)", 204);
  app.delete("/api/v1/inbound-hooks/:key", async (c) => {
    await hooks.delete(c.get("call"), c.req.param("key"));
    return c.body(null, 204);
  });
  doc(
    "post",
    "/api/v1/inbound-hooks/{key}/rotate-secret",
    "Inbound hooks",
    "New secret (shown once); the previous one stays valid for 24 h",
  );
  app.post("/api/v1/inbound-hooks/:key/rotate-secret", async (c) => {
    const { hook, secret } = await hooks.rotateSecret(c.get("call"), c.req.param("key"));
    return c.json({ ...presentHook(hook), secret });
  });

  doc("get", "/api/v1/forms", "Forms", "Hosted web forms of the workspace (admin)");
  app.get("/api/v1/forms", async (c) => c.json({ data: (await forms.list(c.get("call"))).map(presentForm) }));
  doc("post", "/api/v1/forms", "Forms", "Create a form for leads or tickets", 201);
  app.post("/api/v1/forms", async (c) => c.json(presentForm(await forms.create(c.get("call"), await jsonBody(c))), 201));
  doc("get", "/api/v1/forms/{key}", "Forms", "One form");
  app.get("/api/v1/forms/:key", async (c) => c.json(presentForm(await forms.get(c.get("call"), c.req.param("key")))));
  doc("patch", "/api/v1/forms/{key}", "Forms", "Change a form");
  app.patch("/api/v1/forms/:key", async (c) =>
    c.json(presentForm(await forms.update(c.get("call"), c.req.param("key"), await jsonBody(c)))),
  );
  doc("delete", "/api/v1/forms/{key}", "Forms", "Delete a form", 204);
  app.delete("/api/v1/forms/:key", async (c) => {
    await forms.delete(c.get("call"), c.req.param("key"));
    return c.body(null, 204);
  });

  doc("get", "/api/v1/webhook-subscriptions", "Webhook subscriptions", "Outbound webhook subscriptions (admin)");
  app.get("/api/v1/webhook-subscriptions", async (c) =>
    c.json({ data: (await subscriptions.list(c.get("call"))).map(presentSubscription) }),
  );
  doc(
    "post",
    "/api/v1/webhook-subscriptions",
    "Webhook subscriptions",
    "Subscribe a URL to events; the whsec_ secret is in this response only",
    201,
  );
  app.post("/api/v1/webhook-subscriptions", async (c) => {
    const { subscription, secret } = await subscriptions.create(c.get("call"), await jsonBody(c));
    return c.json({ ...presentSubscription(subscription), secret }, 201);
  });
  doc("get", "/api/v1/webhook-subscriptions/{id}", "Webhook subscriptions", "One subscription (never its secret)");
  app.get("/api/v1/webhook-subscriptions/:id", async (c) =>
    c.json(presentSubscription(await subscriptions.get(c.get("call"), c.req.param("id")))),
  );
  doc("patch", "/api/v1/webhook-subscriptions/{id}", "Webhook subscriptions", "Change url, description, events or active");
  app.patch("/api/v1/webhook-subscriptions/:id", async (c) =>
    c.json(presentSubscription(await subscriptions.update(c.get("call"), c.req.param("id"), await jsonBody(c)))),
  );
  doc("delete", "/api/v1/webhook-subscriptions/{id}", "Webhook subscriptions", "Delete a subscription", 204);
  app.delete("/api/v1/webhook-subscriptions/:id", async (c) => {
    await subscriptions.delete(c.get("call"), c.req.param("id"));
    return c.body(null, 204);
  });
  doc(
    "post",
    "/api/v1/webhook-subscriptions/{id}/rotate-secret",
    "Webhook subscriptions",
    "New whsec_ secret, shown once, used from the next delivery",
  );
  app.post("/api/v1/webhook-subscriptions/:id/rotate-secret", async (c) => {
    const { subscription, secret } = await subscriptions.rotateSecret(c.get("call"), c.req.param("id"));
    return c.json({ ...presentSubscription(subscription), secret });
  });
}
