/**
 * Status rules over HTTP (issue 22; docs/data-quality.md "Status rules"):
 * `/api/v1/data-quality/status-rules` — list, create, read by name or id, change over the version
 * read (If-Match; the ETag carries the version; `{"enabled": false}` switches one off), delete.
 * Every signed-in role reads; admins write. Registered before the record routes, whose
 * `/api/v1/{objects}` would otherwise take `/api/v1/data-quality`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { StatusRuleView } from "../../app/data-quality/status-rules-admin.js";
import type { Services } from "../../composition/root.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

// The condition language is recursive, which the OpenAPI generator cannot walk: documented as any JSON (the service checks it, with paths).
const condition = z.unknown();
const value = z.union([z.string(), z.number(), z.boolean()]);
const parts = {
  name: z.string(),
  description: z.string().describe("why the rule exists"),
  object: z.enum(OBJECT_NAMES),
  enabled: z.boolean(),
  field: z.string().describe("the status field (a lead's status, a deal's stage)"),
  values: z.array(value).describe("the statuses the rule is about"),
  requires: condition.describe("what the record's own fields must say while it has one of the statuses"),
};

export const statusRuleSchema = z
  .object({
    ...parts,
    id: z.string(),
    summary: z.string().describe("the rule in words"),
    version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
  })
  .openapi("StatusRule");
const createDoc = z.object({ ...parts, description: parts.description.optional(), enabled: parts.enabled.optional() });
const patchDoc = z.object(parts).omit({ object: true }).partial();

const withEtag = (c: Context<ApiEnv>, view: StatusRuleView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

export function statusRuleRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Data quality"];
  const rules = services.statusRules;
  const problems = {
    400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
    403: problemJson("Only admins change status rules"),
    404: problemJson("No such status rule in this workspace"),
    409: problemJson("The name is taken"),
    412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
    422: problemJson(
      "Invalid: an unknown object, field or operator; a status not among the field's options; a condition on a write, a count or another record (each problem names its path)",
    ),
  };
  const doc = (
    method: "get" | "post" | "patch" | "delete",
    path: string,
    summary: string,
    ok: z.ZodType | null,
    status = 200,
    body?: z.ZodType,
  ) => {
    const params = path.includes("{rule}") ? z.object({ rule: z.string().describe("the rule's name or id") }) : undefined;
    reg.registerPath({
      method,
      path,
      tags,
      security,
      summary,
      ...(params || body ? { request: { ...(params ? { params } : {}), ...(body ? { body: json(body) } : {}) } } : {}),
      responses: { [status]: ok ? { description: "OK", ...json(ok) } : { description: "Done" }, ...problems },
    });
  };
  const base = "/api/v1/data-quality/status-rules";
  doc(
    "get",
    base,
    "Status rules of the workspace, by name: when a record's status contradicts its data",
    z.object({ data: z.array(statusRuleSchema) }),
  );
  app.get(base, async (c) => c.json({ data: await rules.list(c.get("call")) }));
  doc("post", base, "Create a status rule (admins); the status accuracy KPI reads it at once", statusRuleSchema, 201, createDoc);
  app.post(base, async (c) => c.json(withEtag(c, await rules.create(c.get("call"), await jsonBody(c))), 201));
  doc("get", `${base}/{rule}`, "One status rule, by name or id (the ETag carries its version)", statusRuleSchema);
  app.get(`${base}/:rule`, async (c) => c.json(withEtag(c, await rules.get(c.get("call"), c.req.param("rule")))));
  doc(
    "patch",
    `${base}/{rule}`,
    "Change a status rule (admins; If-Match: its version): any part but its object",
    statusRuleSchema,
    200,
    patchDoc,
  );
  app.patch(`${base}/:rule`, async (c) =>
    c.json(withEtag(c, await rules.update(c.get("call"), c.req.param("rule"), await jsonBody(c), ifMatchVersion(c)))),
  );
  doc("delete", `${base}/{rule}`, "Delete a status rule (admins)", null, 204);
  app.delete(`${base}/:rule`, async (c) => {
    await rules.delete(c.get("call"), c.req.param("rule"));
    return c.body(null, 204);
  });
}
