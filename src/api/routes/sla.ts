/**
 * SLA policies over HTTP (docs/sla.md, "SLA policies"): list (with each policy's open clocks),
 * create, read by name or id, change over the version read (If-Match; the ETag carries the
 * version) — `{"enabled": false}` switches one off — and delete while no clock of it is open.
 * Every signed-in role reads; admins write. Registered before the record routes, whose
 * `/api/v1/{objects}` would otherwise take `/api/v1/sla`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../app/errors.js";
import { slaPolicyCreateSchema, slaPolicyPatchSchema, slaStartSchema, slaStopSchema, slaWarningSchema } from "../../app/sla/sla-schemas.js";
import type { SlaPolicyView } from "../../app/sla/sla-views.js";
import type { Services } from "../../composition/root.js";
import { isObjectName } from "../../crm/fields.js";
import { objectByPlural } from "../../crm/objects.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

const duration = z.object({ days: z.number().optional(), hours: z.number().optional(), minutes: z.number().optional() });
export const slaPolicySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    object: z.string(),
    enabled: z.boolean().describe("starts clocks on the object's records; a disabled policy starts none"),
    applies_when: z.unknown().nullable().describe("a workflow condition on the record; null = every record of the object"),
    starts: slaStartSchema,
    stops: slaStopSchema,
    target: duration.describe("business time; days are 24 h of open time"),
    targets_by: z.object({ field: z.string(), values: z.record(z.string(), duration) }).nullable(),
    calendar: z.union([z.object({ name: z.string() }), z.object({ of: z.enum(["owner", "team", "workspace"]) })]),
    pause_when: z.unknown().nullable().describe("a workflow condition; while it holds the clock stops counting"),
    warning: slaWarningSchema.nullable(),
    escalations: z.array(z.object({ after: duration })),
    open_clocks: z.number().describe("clocks this policy started that have not stopped (running or paused)"),
    version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
  })
  .openapi("SlaPolicy");

// The request bodies, as documented: the condition language is recursive, which the OpenAPI
// generator cannot walk, so a condition is documented as any JSON (the service checks it).
const createDoc = slaPolicyCreateSchema.extend({ applies_when: z.unknown().optional(), pause_when: z.unknown().optional() });
const patchDoc = slaPolicyPatchSchema.extend({ applies_when: z.unknown().optional(), pause_when: z.unknown().optional() });

const clockFields = {
  id: z.string(),
  policy: z.object({ id: z.string(), name: z.string() }),
  policy_version: z.number(),
  record_id: z.string(),
  status: z
    .enum(["running", "paused", "warning", "breached", "met", "missed", "cancelled"])
    .describe("cancelled: stopped because the policy no longer applied or the record was deleted"),
  phase: z.enum(["running", "paused", "stopped"]),
  due_at: z.string().nullable().describe("when the target falls due while running; null when paused or stopped"),
  left_ms: z.number().describe("business time left to the target (negative once breached)"),
  consumed_ms: z.number().describe("business time consumed"),
  target_ms: z.number(),
  next_milestone: z.object({ key: z.string(), level: z.number(), due_at: z.string() }).nullable(),
  fired: z.array(z.string()).describe('milestones fired: "warning", "breach", "level:2" …'),
  calendar: z.object({ name: z.string().nullable().describe("null: none, 24×7"), time_zone: z.string() }),
  started_at: z.string(),
  stopped_at: z.string().nullable(),
};
export const slaClockSchema = z
  .object({
    ...clockFields,
    history: z.array(z.object({ seq: z.number(), at: z.string(), kind: z.string(), detail: z.record(z.string(), z.unknown()) })),
  })
  .openapi("SlaClock");
export const slaAtRiskSchema = z
  .object({
    ...clockFields,
    record: z.object({ id: z.string(), object: z.string(), title: z.string().nullable() }),
    owner: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    team: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  })
  .openapi("SlaClockAtRisk");

/** The ETag of a policy: its version, for If-Match. */
const withEtag = (c: Context<ApiEnv>, view: SlaPolicyView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

export function slaRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["SLA"];
  const policies = services.slaPolicies;
  const doc = (
    method: "get" | "post" | "patch" | "delete",
    path: string,
    summary: string,
    ok: z.ZodType | null,
    status = 200,
    body?: z.ZodType,
  ) => {
    const params = path.includes("{policy}") ? { params: z.object({ policy: z.string().describe("the policy's name or id") }) } : {};
    reg.registerPath({
      method,
      path,
      tags,
      security,
      summary,
      ...(params.params || body ? { request: { ...params, ...(body ? { body: json(body) } : {}) } } : {}),
      responses: {
        [status]: ok ? { description: "OK; the ETag carries the version", ...json(ok) } : { description: "Done" },
        400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
        403: problemJson("Only admins change SLA policies"),
        404: problemJson("No such SLA policy in this workspace"),
        409: problemJson("The name is taken, or (delete) the policy has open clocks"),
        412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
        422: problemJson(
          "Invalid: unknown object, field or value; a target of zero; a warning at or after the target; a calendar that does not exist (each problem names its path)",
        ),
      },
    });
  };

  doc(
    "get",
    "/api/v1/sla/policies",
    "SLA policies of the workspace, by name, with their open clocks",
    z.object({ data: z.array(slaPolicySchema) }),
  );
  app.get("/api/v1/sla/policies", async (c) => c.json({ data: await policies.list(c.get("call")) }));
  doc("post", "/api/v1/sla/policies", "Create an SLA policy (admins)", slaPolicySchema, 201, createDoc);
  app.post("/api/v1/sla/policies", async (c) => c.json(withEtag(c, await policies.create(c.get("call"), await jsonBody(c))), 201));
  doc("get", "/api/v1/sla/policies/{policy}", "One SLA policy, by name or id", slaPolicySchema);
  app.get("/api/v1/sla/policies/:policy", async (c) => c.json(withEtag(c, await policies.get(c.get("call"), c.req.param("policy")))));
  doc(
    "patch",
    "/api/v1/sla/policies/{policy}",
    "Change an SLA policy (admins; If-Match: its version): a new version, which clocks started from now on use; null unsets an optional part; `enabled` switches it",
    slaPolicySchema,
    200,
    patchDoc,
  );
  app.patch("/api/v1/sla/policies/:policy", async (c) =>
    c.json(withEtag(c, await policies.update(c.get("call"), c.req.param("policy"), await jsonBody(c), ifMatchVersion(c)))),
  );
  doc(
    "delete",
    "/api/v1/sla/policies/{policy}",
    "Delete an SLA policy with no open clock (admins); its stopped clocks and their history go with it",
    null,
    204,
  );
  app.delete("/api/v1/sla/policies/:policy", async (c) => {
    await policies.delete(c.get("call"), c.req.param("policy"));
    return c.body(null, 204);
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/sla/clocks",
    tags,
    security,
    summary:
      "Open SLA clocks of the workspace — at risk (status=warning) or in breach (status=breached) — with the record, its owner and the owner's team, by page (cursor: next_cursor)",
    request: {
      query: z.object({
        status: z.enum(["warning", "breached"]).optional(),
        policy: z.string().optional().describe("a policy's name or id"),
        team: z.string().optional().describe("the owner's team, by name or id"),
        limit: z.string().optional().describe("1–200, default 50"),
        cursor: z.string().optional(),
      }),
    },
    responses: {
      200: { description: "OK", ...json(z.object({ data: z.array(slaAtRiskSchema), next_cursor: z.string().nullable() })) },
      400: problemJson("A status, limit or cursor that is not one"),
      404: problemJson("No such policy or team in this workspace"),
    },
  });
  app.get("/api/v1/sla/clocks", async (c) => {
    const limit = c.req.query("limit");
    return c.json(
      await services.slaClocks.list(c.get("call"), {
        status: c.req.query("status"),
        policy: c.req.query("policy"),
        team: c.req.query("team"),
        limit: limit === undefined ? undefined : Number(limit),
        cursor: c.req.query("cursor"),
      }),
    );
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/{objects}/{id}/sla",
    tags,
    security,
    summary:
      "A record's SLA clocks, newest first, each read now: status, due instant, business time left and consumed, the next milestone, the calendar, and its history",
    request: {
      params: z.object({ objects: z.string().meta({ description: "the object's plural (tickets, leads …)" }), id: z.string() }),
    },
    responses: {
      200: { description: "OK", ...json(z.object({ data: z.array(slaClockSchema) })) },
      404: problemJson("No such record in this workspace"),
    },
  });
  app.get("/api/v1/:objects/:id/sla", async (c) => {
    const objects = c.req.param("objects");
    const def = objectByPlural(objects) ?? (isObjectName(objects) ? { name: objects } : undefined);
    if (!def) throw new AppError("not_found", `no object "${objects}"`);
    return c.json({ data: await services.slaClocks.ofRecord(c.get("call"), def.name, c.req.param("id")) });
  });
}
