/**
 * Duplicate detection over HTTP (docs/data-quality.md, "Matching and duplicates", "Scan"): match
 * rules — list, create, read by name or id, change over the version read (If-Match; the ETag
 * carries the version), delete — and one-off scans started in the background, their progress
 * polled. Every signed-in role reads rules; admins write them and start scans. Registered before
 * the record routes, whose `/api/v1/{objects}/{id}` would otherwise take these paths.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MATCH_ACTIONS, MATCHED_OBJECTS, matchRuleCreateSchema, matchRulePatchSchema } from "../../app/duplicates/match-rule-schemas.js";
import type { MatchRuleView } from "../../app/duplicates/match-rules.js";
import type { Services } from "../../composition/root.js";
import { MATCH_KEY_KINDS } from "../../crm/dedupe/keys.js";
import { SIMILARITY_KINDS } from "../../crm/dedupe/similarity.js";
import { SCAN_STATUSES } from "../../store/duplicate-ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, jsonBody } from "../request.js";

const BASE = "/api/v1/data-quality";

export const matchRuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    object: z.enum(MATCHED_OBJECTS),
    compare_with: z.array(z.enum(MATCHED_OBJECTS)),
    keys: z.array(z.enum(MATCH_KEY_KINDS)),
    fields: z.array(z.object({ field: z.string(), weight: z.number(), similarity: z.enum(SIMILARITY_KINDS) })),
    threshold: z.number(),
    action: z.enum(MATCH_ACTIONS),
    merge_above: z.number().nullable(),
    enabled: z.boolean(),
    version: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
  })
  .openapi("MatchRule");

export const scanSchema = z
  .object({
    id: z.string(),
    object: z.string(),
    status: z.enum(SCAN_STATUSES),
    total: z.number().describe("records to go through: the re-keying of every compared object, then the scoring of the object's"),
    done: z.number(),
    pairs_found: z.number(),
    pairs_queued: z.number().describe("pairs new to the review queue (not already open, not dismissed before)"),
    started_at: z.string(),
    started_by: z.string(),
    finished_at: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi("DedupeScan");

const withEtag = (c: Context<ApiEnv>, view: MatchRuleView) => {
  c.header("etag", `"${view.version}"`);
  return view;
};

/** `log`: where a background scan that fails is reported (its row says `failed` with the error too). */
export function matchRuleRoutes(app: OpenAPIHono<ApiEnv>, services: Services, log: { error(obj: object, msg: string): void }) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Data quality"];
  const rules = services.matchRules;
  const scans = services.dedupeScans;
  const errors = {
    400: problemJson("Bad input (not JSON, NUL or a lone surrogate in a string, a malformed If-Match): each problem names its path"),
    403: problemJson("Only admins change match rules and start scans"),
    404: problemJson("No such match rule or scan in this workspace"),
    409: problemJson("The name is taken; or a scan of an object no enabled rule checks"),
    412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
    422: problemJson(
      "Invalid: an unknown field, key kind, similarity or action, a weight below 0, merge_above without merge (each problem names its path)",
    ),
  };
  const rule = { params: z.object({ rule: z.string().describe("the match rule's name or id") }) };

  reg.registerPath({
    method: "get",
    path: `${BASE}/match-rules`,
    tags,
    security,
    summary: "Match rules of the workspace, by name (of one object with ?object=)",
    request: { query: z.object({ object: z.string().optional() }) },
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(matchRuleSchema) })) }, 404: errors[404] },
  });
  app.get(`${BASE}/match-rules`, async (c) => c.json({ data: await rules.list(c.get("call"), c.req.query("object")) }));
  reg.registerPath({
    method: "post",
    path: `${BASE}/match-rules`,
    tags,
    security,
    summary: "Create a match rule (admins)",
    request: { body: json(matchRuleCreateSchema) },
    responses: { 201: { description: "Created; the ETag carries the version", ...json(matchRuleSchema) }, ...errors },
  });
  app.post(`${BASE}/match-rules`, async (c) => c.json(withEtag(c, await rules.create(c.get("call"), await jsonBody(c))), 201));
  reg.registerPath({
    method: "get",
    path: `${BASE}/match-rules/{rule}`,
    tags,
    security,
    summary: "One match rule, by name or id",
    request: rule,
    responses: { 200: { description: "OK; the ETag carries the version", ...json(matchRuleSchema) }, 404: errors[404] },
  });
  app.get(`${BASE}/match-rules/:rule`, async (c) => c.json(withEtag(c, await rules.get(c.get("call"), c.req.param("rule")))));
  reg.registerPath({
    method: "patch",
    path: `${BASE}/match-rules/{rule}`,
    tags,
    security,
    summary: "Change a match rule (admins; If-Match: its version)",
    request: { ...rule, body: json(matchRulePatchSchema) },
    responses: { 200: { description: "OK; the ETag carries the version", ...json(matchRuleSchema) }, ...errors },
  });
  app.patch(`${BASE}/match-rules/:rule`, async (c) =>
    c.json(withEtag(c, await rules.update(c.get("call"), c.req.param("rule"), await jsonBody(c), ifMatchVersion(c)))),
  );
  reg.registerPath({
    method: "delete",
    path: `${BASE}/match-rules/{rule}`,
    tags,
    security,
    summary: "Delete a match rule (admins)",
    request: rule,
    responses: { 204: { description: "Deleted" }, 403: errors[403], 404: errors[404] },
  });
  app.delete(`${BASE}/match-rules/:rule`, async (c) => {
    await rules.delete(c.get("call"), c.req.param("rule"));
    return c.body(null, 204);
  });

  const scanBody = z.object({ object: z.string().describe(`one of ${MATCHED_OBJECTS.join(", ")}`) }).strict();
  reg.registerPath({
    method: "post",
    path: `${BASE}/scans`,
    tags,
    security,
    summary: "Start a scan of an object's existing records for duplicates (admins): runs in the background; poll it",
    request: { body: json(scanBody) },
    responses: { 202: { description: "Started", ...json(scanSchema) }, ...errors },
  });
  app.post(`${BASE}/scans`, async (c) => {
    const body = scanBody.safeParse(await jsonBody(c));
    const object = body.success ? body.data.object : "";
    return c.json(await scans.start(c.get("call"), object, (err) => log.error({ err }, "dedupe scan failed")), 202);
  });
  reg.registerPath({
    method: "get",
    path: `${BASE}/scans`,
    tags,
    security,
    summary: "The latest scans, newest first",
    responses: { 200: { description: "OK", ...json(z.object({ data: z.array(scanSchema) })) } },
  });
  app.get(`${BASE}/scans`, async (c) => c.json({ data: await scans.list(c.get("call")) }));
  reg.registerPath({
    method: "get",
    path: `${BASE}/scans/{scan}`,
    tags,
    security,
    summary: "One scan and its progress",
    request: { params: z.object({ scan: z.string() }) },
    responses: { 200: { description: "OK", ...json(scanSchema) }, 404: errors[404] },
  });
  app.get(`${BASE}/scans/:scan`, async (c) => c.json(await scans.get(c.get("call"), c.req.param("scan"))));
}
