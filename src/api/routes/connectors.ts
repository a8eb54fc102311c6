/**
 * Connectors (settings for outside systems) and the configuration audit. Secrets are
 * write-only: `secrets: { password: "…" }` in, `secrets: { password: "set" }` out.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Services } from "../../composition/root.js";
import { CONNECTOR_KIND_NAMES, CONNECTORS } from "../../connectors/registry.js";
import type { ConfigAuditEntry } from "../../store/connector-ports.js";
import type { ApiEnv } from "../env.js";
import { intParam, jsonBody } from "../request.js";

const presentAudit = (e: ConfigAuditEntry) => ({
  id: e.id,
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  request_id: e.requestId,
  entity: e.entity,
  entity_id: e.entityId,
  action: e.action,
  summary: e.summary,
});

export function connectorRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const secretsIn = z.record(z.string(), z.string().nullable()).describe("secret name → value (null removes it); never returned");
  const view = z.object({
    id: z.string(),
    key: z.string(),
    kind: z.enum(CONNECTOR_KIND_NAMES as [string, ...string[]]),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    secrets: z.record(z.string(), z.literal("set")).describe("names of the secrets that are set"),
    created_at: z.string(),
    updated_at: z.string(),
  });
  const configDoc = Object.entries(CONNECTORS)
    .map(([kind, spec]) => `${kind}: secrets ${spec.secrets.join(", ")}`)
    .join("; ");
  const keyParam = { params: z.object({ key: z.string() }) };

  reg.registerPath({
    method: "get",
    path: "/api/v1/connectors",
    tags: ["Connectors"],
    security,
    summary: "Connectors of the workspace (admin, manager); secrets only by name",
    responses: { 200: { description: "Connectors", ...json(z.object({ data: z.array(view) })) } },
  });
  app.get("/api/v1/connectors", async (c) => c.json({ data: await services.connectors.list(c.get("call")) }));

  reg.registerPath({
    method: "post",
    path: "/api/v1/connectors",
    tags: ["Connectors"],
    security,
    summary: "Create a connector (admin)",
    description: `Config is checked against its kind (${configDoc}). 503 when secrets are sent and no master key is configured.`,
    request: {
      body: json(
        z.object({
          key: z.string(),
          kind: z.enum(CONNECTOR_KIND_NAMES as [string, ...string[]]),
          name: z.string().optional(),
          config: z.record(z.string(), z.unknown()),
          secrets: secretsIn.optional(),
        }),
      ),
    },
    responses: {
      201: { description: "Created", ...json(view) },
      409: { description: "Key taken" },
      422: { description: "Invalid, by path" },
      503: { description: "No master key" },
    },
  });
  app.post("/api/v1/connectors", async (c) => {
    const created = await services.connectors.create(c.get("call"), await jsonBody(c));
    c.header("location", `/api/v1/connectors/${created.key}`);
    return c.json(created, 201);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/connectors/{key}",
    tags: ["Connectors"],
    security,
    summary: "One connector (admin, manager)",
    request: keyParam,
    responses: { 200: { description: "Connector", ...json(view) }, 404: { description: "Not found" } },
  });
  app.get("/api/v1/connectors/:key", async (c) => c.json(await services.connectors.get(c.get("call"), c.req.param("key"))));

  reg.registerPath({
    method: "patch",
    path: "/api/v1/connectors/{key}",
    tags: ["Connectors"],
    security,
    summary: "Change a connector (admin): config keys replace stored ones (null removes), secrets one by one (null removes)",
    request: {
      ...keyParam,
      body: json(
        z.object({ name: z.string().optional(), config: z.record(z.string(), z.unknown()).optional(), secrets: secretsIn.optional() }),
      ),
    },
    responses: { 200: { description: "Changed", ...json(view) }, 404: { description: "Not found" }, 422: { description: "Invalid" } },
  });
  app.patch("/api/v1/connectors/:key", async (c) =>
    c.json(await services.connectors.patch(c.get("call"), c.req.param("key"), await jsonBody(c))),
  );

  reg.registerPath({
    method: "delete",
    path: "/api/v1/connectors/{key}",
    tags: ["Connectors"],
    security,
    summary: "Delete a connector (admin)",
    request: keyParam,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
  });
  app.delete("/api/v1/connectors/:key", async (c) => {
    await services.connectors.delete(c.get("call"), c.req.param("key"));
    return c.body(null, 204);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/config-audit",
    tags: ["Connectors"],
    security,
    summary: "Append-only audit of configuration changes, newest first (admin); never holds secret values",
    request: { query: z.object({ before: z.string().optional(), limit: z.string().optional() }) },
    responses: { 200: { description: "Entries", ...json(z.object({ data: z.array(z.unknown()), next_before: z.number().nullable() })) } },
  });
  app.get("/api/v1/config-audit", async (c) => {
    const limit = Math.min(Math.max(intParam(c, "limit") ?? 100, 1), 500);
    const entries = await services.connectors.auditLog(c.get("call"), limit, intParam(c, "before"));
    return c.json({ data: entries.map(presentAudit), next_before: entries.length === limit ? (entries.at(-1)?.seq ?? null) : null });
  });
}
