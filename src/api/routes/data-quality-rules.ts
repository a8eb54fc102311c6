/**
 * Validation rules, stage gates and field formats over HTTP (issue 20; docs/data-quality.md):
 * `/api/v1/data-quality/rules` — list, create, read by name or id, change over the version read
 * (If-Match; the ETag carries the version; `{"enabled": false}` switches one off), delete — and
 * `/api/v1/data-quality/formats` — every phone field with its action, set one, reset one to the
 * default. Every signed-in role reads; admins write. Registered before the record routes, whose
 * `/api/v1/{objects}` would otherwise take `/api/v1/data-quality`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RuleView } from "../../app/data-quality/rule-views.js";
import type { Services } from "../../composition/root.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { RULE_ACTIONS } from "../../engine/rules.js";
import { FORMAT_ACTIONS } from "../../store/data-quality-ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

// The condition language is recursive, which the OpenAPI generator cannot walk: a condition is
// documented as any JSON (the service checks it, with paths).
const condition = z.unknown();
const value = z.union([z.string(), z.number(), z.boolean()]);
const common = {
  name: z.string(),
  description: z.string().describe("why the rule exists"),
  object: z.enum(OBJECT_NAMES),
  action: z.enum(RULE_ACTIONS).describe("refuse: 422, nothing written; warn: written, the record queued for review"),
  enabled: z.boolean(),
  message: z.string().describe("shown next to the field, as plain text"),
};
const stored = {
  id: z.string(),
  summary: z.string().describe("the rule in words"),
  version: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  updated_by: z.string().nullable(),
};
const ruleParts = {
  kind: z.literal("rule"),
  when: condition.describe("when this holds, the write is INVALID"),
  field: z.string().describe("the field the message is shown on"),
};
const gateParts = {
  kind: z.literal("gate"),
  field: z.string().describe("the field that moves"),
  to: z.array(value).describe("the values guarded"),
  requires: condition.describe("what must hold for the move"),
  shown_on: z.string().optional().describe("the field the message is shown on; default `field`"),
};

export const validationRuleSchema = z
  .union([z.object({ ...common, ...ruleParts, ...stored }), z.object({ ...common, ...gateParts, ...stored })])
  .openapi("ValidationRule");
const createDoc = z.union([
  z.object({
    ...common,
    ...ruleParts,
    description: common.description.optional(),
    action: common.action.optional(),
    enabled: common.enabled.optional(),
  }),
  z.object({
    ...common,
    ...gateParts,
    description: common.description.optional(),
    action: common.action.optional(),
    enabled: common.enabled.optional(),
  }),
]);
const patchDoc = z
  .object({
    name: z.string(),
    description: z.string(),
    action: z.enum(RULE_ACTIONS),
    enabled: z.boolean(),
    message: z.string(),
    when: condition,
    field: z.string(),
    to: z.array(value),
    requires: condition,
    shown_on: z.string().nullable().describe("null: back to the gate's field"),
  })
  .partial();

export const fieldFormatSchema = z
  .object({
    object: z.enum(OBJECT_NAMES),
    field: z.string(),
    label: z.string(),
    format: z.literal("phone").describe("phone numbers are stored in E.164"),
    on_invalid: z.enum(FORMAT_ACTIONS).describe("refuse | fix (default) | warn — see docs/data-quality.md"),
    configured: z.boolean().describe("false: the default applies"),
    version: z.number().describe("0 while not configured"),
    updated_at: z.string().nullable(),
    updated_by: z.string().nullable(),
  })
  .openapi("FieldFormat");

const withEtag = (c: Context<ApiEnv>, view: RuleView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

export function dataQualityRuleRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Data quality"];
  const rules = services.validationRules;
  const formats = services.fieldFormats;
  const problems = {
    400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
    403: problemJson("Only admins change validation rules and formats"),
    404: problemJson("No such rule in this workspace"),
    409: problemJson("The name is taken"),
    412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
    422: problemJson(
      "Invalid: an unknown object, field or operator; a gate to a value not among the field's options; a field with no format (each problem names its path and the allowed values)",
    ),
  };
  const doc = (
    method: "get" | "post" | "patch" | "put" | "delete",
    path: string,
    summary: string,
    ok: z.ZodType | null,
    status = 200,
    body?: z.ZodType,
  ) => {
    const params = path.includes("{rule}")
      ? z.object({ rule: z.string().describe("the rule's name or id") })
      : path.includes("{field}")
        ? z.object({ object: z.enum(OBJECT_NAMES), field: z.string() })
        : undefined;
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

  doc(
    "get",
    "/api/v1/data-quality/rules",
    "Validation rules and stage gates of the workspace, by name",
    z.object({ data: z.array(validationRuleSchema) }),
  );
  app.get("/api/v1/data-quality/rules", async (c) => c.json({ data: await rules.list(c.get("call")) }));
  doc(
    "post",
    "/api/v1/data-quality/rules",
    "Create a validation rule or a stage gate (admins); the next write meets it",
    validationRuleSchema,
    201,
    createDoc,
  );
  app.post("/api/v1/data-quality/rules", async (c) => c.json(withEtag(c, await rules.create(c.get("call"), await jsonBody(c))), 201));
  doc("get", "/api/v1/data-quality/rules/{rule}", "One rule, by name or id (the ETag carries its version)", validationRuleSchema);
  app.get("/api/v1/data-quality/rules/:rule", async (c) => c.json(withEtag(c, await rules.get(c.get("call"), c.req.param("rule")))));
  doc(
    "patch",
    "/api/v1/data-quality/rules/{rule}",
    "Change a rule (admins; If-Match: its version): any part but its kind and object; `enabled` switches it",
    validationRuleSchema,
    200,
    patchDoc,
  );
  app.patch("/api/v1/data-quality/rules/:rule", async (c) =>
    c.json(withEtag(c, await rules.update(c.get("call"), c.req.param("rule"), await jsonBody(c), ifMatchVersion(c)))),
  );
  doc("delete", "/api/v1/data-quality/rules/{rule}", "Delete a rule (admins)", null, 204);
  app.delete("/api/v1/data-quality/rules/:rule", async (c) => {
    await rules.delete(c.get("call"), c.req.param("rule"));
    return c.body(null, 204);
  });

  doc(
    "get",
    "/api/v1/data-quality/formats",
    "Every phone field of every object with what happens to a number that does not normalise",
    z.object({ data: z.array(fieldFormatSchema) }),
  );
  app.get("/api/v1/data-quality/formats", async (c) => c.json({ data: await formats.list(c.get("call")) }));
  doc(
    "put",
    "/api/v1/data-quality/formats/{object}/{field}",
    "Set a phone field's action (admins; If-Match: its version, 0 while not configured)",
    fieldFormatSchema,
    200,
    z.object({ on_invalid: z.enum(FORMAT_ACTIONS) }),
  );
  app.put("/api/v1/data-quality/formats/:object/:field", async (c) => {
    const view = await formats.set(c.get("call"), c.req.param("object"), c.req.param("field"), await jsonBody(c), ifMatchVersion(c));
    c.header("etag", `"${view.version}"`);
    return c.json(view);
  });
  doc("delete", "/api/v1/data-quality/formats/{object}/{field}", "Put a phone field back to the default (fix) (admins)", fieldFormatSchema);
  app.delete("/api/v1/data-quality/formats/:object/:field", async (c) =>
    c.json(await formats.reset(c.get("call"), c.req.param("object"), c.req.param("field"))),
  );
}
