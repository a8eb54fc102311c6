/**
 * SLA policies over HTTP (docs/sla.md, "SLA policies"): list (with each policy's open clocks),
 * create, read by name or id, change over the version read (If-Match; the ETag carries the
 * version) — `{"enabled": false}` switches one off — and delete while no clock of it is open.
 * Every signed-in role reads; admins write. Registered before the record routes, whose
 * `/api/v1/{objects}` would otherwise take `/api/v1/sla`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { slaPolicyCreateSchema, slaPolicyPatchSchema, slaStartSchema, slaStopSchema, slaWarningSchema } from "../../app/sla/sla-schemas.js";
import type { SlaPolicyView } from "../../app/sla/sla-views.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { ifMatchVersion, jsonBody } from "../request.js";

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const problemJson = (description: string) => ({ description, content: { "application/problem+json": { schema: z.unknown() } } });

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
}
