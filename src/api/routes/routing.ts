/**
 * Routing over HTTP (docs/routing.md): queues, assignment rule sets (reordering is a PATCH with
 * the rules in their new order), the simulation, a record's assignment reasons, the distribution
 * per member, held records, and each person's availability (`me` or a user id). Registered before
 * the record routes, whose `/api/v1/{objects}/{id}` would otherwise take `/api/v1/routing/queues`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  availabilitySchema,
  loadSchema,
  queueCreateSchema,
  queuePatchSchema,
  ruleSchema,
  ruleSetCreateSchema,
  ruleSetPatchSchema,
  simulateSchema,
} from "../../app/routing/routing-schemas.js";
import type { Services } from "../../composition/root.js";
import { QUEUE_STRATEGY_NAMES } from "../../crm/assignment/index.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { ifMatchVersion, intParam, jsonBody } from "../request.js";
import { assignmentSchema as assignment, targetSchema as target } from "./assignment-schema.js";

const queue = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  strategy: z.enum(QUEUE_STRATEGY_NAMES),
  respect_availability: z.boolean(),
  respect_capacity: z.boolean(),
  load: z.object({ object: z.string(), owner_field: z.string(), where: z.unknown().optional() }).nullable(),
  fallback: z.union([z.object({ queue: z.string() }), z.object({ user_id: z.string() }), z.object({ hold: z.literal(true) })]).nullable(),
  fallback_label: z.string(),
  members: z.array(z.object({ user_id: z.string(), name: z.string(), weight: z.number(), capacity: z.number().nullable() })),
  held: z.number().describe("records waiting in the queue for someone to be free"),
  version: z.number(),
  updated_at: z.string(),
});
const ruleSet = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  object: z.string(),
  field: z.string(),
  on_create: z.boolean(),
  rules: z.array(z.object({ id: z.string(), name: z.string(), when: z.unknown(), target, target_label: z.string() })),
  default_target: target.nullable(),
  default_target_label: z.string(),
  version: z.number(),
  updated_at: z.string(),
});
const memberCount = z.object({ user_id: z.string(), name: z.string(), count: z.number() });
const availability = z.object({
  user_id: z.string(),
  name: z.string(),
  available_now: z.boolean(),
  time_zone: z.string(),
  working_hours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))).nullable(),
  pto: z.array(z.object({ start: z.string(), end: z.string() })),
  capacity: z.number().nullable(),
});

// The request bodies, as documented: the condition language is recursive, which the OpenAPI
// generator cannot walk, so a condition is documented as any JSON (the service checks it).
const loadDoc = loadSchema.extend({ where: z.unknown().optional() });
const ruleDoc = ruleSchema.extend({ when: z.unknown() });
const queueCreateDoc = queueCreateSchema.extend({ load: loadDoc.nullable().optional() });
const queuePatchDoc = queuePatchSchema.extend({ load: loadDoc.nullable().optional() });
const ruleSetCreateDoc = ruleSetCreateSchema.extend({ rules: z.array(ruleDoc) });
const ruleSetPatchDoc = ruleSetPatchSchema.extend({ rules: z.array(ruleDoc).optional() });

/** A number param kept within bounds (the page sizes and windows the store is indexed for). */
/** Simulate and apply take their defaults from an empty body. */
const optionalBody = async (c: Context<ApiEnv>): Promise<unknown> => (c.req.header("content-length") === "0" ? {} : jsonBody(c));

const clamp = (n: number | undefined, min: number, max: number) => (n === undefined ? undefined : Math.min(Math.max(n, min), max));

export function routingRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Routing"];
  const { queues, ruleSets, availability: people, insights } = services.routing;
  // `body`: the request's schema, so the generated client types what a POST or PATCH sends.
  const doc = (
    method: "get" | "post" | "patch" | "put" | "delete",
    path: string,
    summary: string,
    ok: z.ZodType | null,
    status = 200,
    body?: z.ZodType,
    query?: z.ZodObject,
  ) => {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const pathParams = params.length > 0 ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {};
    reg.registerPath({
      method,
      path,
      tags,
      security,
      summary,
      ...(params.length > 0 || body || query
        ? { request: { ...pathParams, ...(body ? { body: json(body) } : {}), ...(query ? { query } : {}) } }
        : {}),
      responses: {
        [status]: ok ? { description: "OK", ...json(ok) } : { description: "Done" },
        400: problemJson("Bad input: each problem names its path"),
        403: problemJson("This role may not change routing"),
        404: problemJson("No such queue, rule set, record or user"),
        409: problemJson("A name in use, or a queue or rule set still used by a rule set, a fallback or a live workflow"),
        412: problemJson("If-Match is stale, or someone else saved a new version meanwhile: read it again"),
        422: problemJson("Invalid: unknown field, weight ≤ 0, no members, a fallback cycle … (each problem names its path)"),
      },
    });
  };

  doc(
    "get",
    "/api/v1/routing/queues",
    "Queues with their members, strategy, fallback and held records",
    z.object({ data: z.array(queue) }),
  );
  app.get("/api/v1/routing/queues", async (c) => c.json({ data: await queues.list(c.get("call")) }));
  doc("post", "/api/v1/routing/queues", "Create a queue (admins and managers)", queue, 201, queueCreateDoc);
  app.post("/api/v1/routing/queues", async (c) => c.json(await queues.create(c.get("call"), await jsonBody(c)), 201));
  doc("get", "/api/v1/routing/queues/{queue}", "One queue, by name or id", queue);
  app.get("/api/v1/routing/queues/:queue", async (c) => c.json(await queues.get(c.get("call"), c.req.param("queue"))));
  doc(
    "patch",
    "/api/v1/routing/queues/{queue}",
    "Change a queue (If-Match: its version, for optimistic concurrency); held records are released if someone is now free",
    queue,
    200,
    queuePatchDoc,
  );
  app.patch("/api/v1/routing/queues/:queue", async (c) =>
    c.json(await queues.update(c.get("call"), c.req.param("queue"), await jsonBody(c), ifMatchVersion(c))),
  );
  doc("delete", "/api/v1/routing/queues/{queue}", "Delete a queue no rule set or fallback uses", null, 204);
  app.delete("/api/v1/routing/queues/:queue", async (c) => {
    await queues.delete(c.get("call"), c.req.param("queue"));
    return c.body(null, 204);
  });
  const held = z.object({
    record_id: z.string(),
    record_object: z.string().nullable().describe("the held record's object (lead, ticket …); null if it was deleted meanwhile"),
    record_name: z.string(),
    field: z.string(),
    held_at: z.string(),
    assignment_id: z.string(),
  });
  doc("get", "/api/v1/routing/queues/{queue}/holds", "Records held in the queue, in order of arrival", z.object({ data: z.array(held) }));
  app.get("/api/v1/routing/queues/:queue/holds", async (c) => c.json({ data: await queues.holds(c.get("call"), c.req.param("queue")) }));

  doc("get", "/api/v1/routing/rule-sets", "Assignment rule sets with their rules in priority order", z.object({ data: z.array(ruleSet) }));
  app.get("/api/v1/routing/rule-sets", async (c) => c.json({ data: await ruleSets.list(c.get("call")) }));
  doc("post", "/api/v1/routing/rule-sets", "Create a rule set (admins and managers)", ruleSet, 201, ruleSetCreateDoc);
  app.post("/api/v1/routing/rule-sets", async (c) => c.json(await ruleSets.create(c.get("call"), await jsonBody(c)), 201));
  doc("get", "/api/v1/routing/rule-sets/{rule_set}", "One rule set, by name or id", ruleSet);
  app.get("/api/v1/routing/rule-sets/:rule_set", async (c) => c.json(await ruleSets.get(c.get("call"), c.req.param("rule_set"))));
  doc(
    "patch",
    "/api/v1/routing/rule-sets/{rule_set}",
    "Change a rule set (If-Match: its version); send `rules` in their new order to reorder",
    ruleSet,
    200,
    ruleSetPatchDoc,
  );
  app.patch("/api/v1/routing/rule-sets/:rule_set", async (c) =>
    c.json(await ruleSets.update(c.get("call"), c.req.param("rule_set"), await jsonBody(c), ifMatchVersion(c))),
  );
  doc("delete", "/api/v1/routing/rule-sets/{rule_set}", "Delete a rule set", null, 204);
  app.delete("/api/v1/routing/rule-sets/:rule_set", async (c) => {
    await ruleSets.delete(c.get("call"), c.req.param("rule_set"));
    return c.body(null, 204);
  });
  const simulation = z.object({
    rule_set: z.object({ id: z.string(), name: z.string(), version: z.number(), object: z.string() }),
    records: z.number(),
    per_member: z.array(memberCount),
    per_rule: z.array(z.object({ rule: z.string(), count: z.number() })),
    fallback: z.array(assignment).describe("decisions that were held, failed or went to a fallback"),
    decisions: z.array(assignment),
  });
  doc(
    "post",
    "/api/v1/routing/rule-sets/{rule_set}/simulate",
    "Who would get what over recent records — nothing is written",
    simulation,
    200,
    simulateSchema,
  );
  app.post("/api/v1/routing/rule-sets/:rule_set/simulate", async (c) =>
    c.json(await insights.simulate(c.get("call"), c.req.param("rule_set"), await optionalBody(c))),
  );
  doc(
    "post",
    "/api/v1/routing/rule-sets/{rule_set}/apply",
    "Assign now, through the rule set, the records without an owner among the last N (a backlog); one transaction",
    z.object({ assigned: z.number(), held: z.number(), failed: z.number(), decisions: z.array(assignment) }),
    200,
    simulateSchema,
  );
  app.post("/api/v1/routing/rule-sets/:rule_set/apply", async (c) =>
    c.json(await insights.applyToUnowned(c.get("call"), c.req.param("rule_set"), await optionalBody(c))),
  );

  doc(
    "get",
    "/api/v1/routing/assignments",
    "Assignment reasons, newest first: of one record (`record_id`) or the workspace's latest",
    z.object({ data: z.array(assignment) }),
    200,
    undefined,
    z.object({ record_id: z.string().optional(), limit: z.string().optional() }),
  );
  app.get("/api/v1/routing/assignments", async (c) => {
    const recordId = c.req.query("record_id");
    const limit = clamp(intParam(c, "limit"), 1, 200);
    const data = recordId
      ? await insights.assignmentsOf(c.get("call"), recordId, limit ?? 20)
      : await insights.recent(c.get("call"), limit ?? 50);
    return c.json({ data });
  });
  const distribution = z.object({
    since: z.string(),
    days: z.number(),
    queues: z.array(
      z.object({
        queue_id: z.string().nullable(),
        queue_name: z.string(),
        members: z.array(memberCount),
        held: z.number(),
        failed: z.number(),
      }),
    ),
  });
  doc(
    "get",
    "/api/v1/routing/distribution",
    "Assignments per queue and member over the last `days` (default 30)",
    distribution,
    200,
    undefined,
    z.object({ days: z.string().optional() }),
  );
  app.get("/api/v1/routing/distribution", async (c) =>
    c.json(await insights.distribution(c.get("call"), clamp(intParam(c, "days"), 1, 366) ?? 30)),
  );

  doc("get", "/api/v1/routing/availability", "Everyone's availability (active users)", z.object({ data: z.array(availability) }));
  app.get("/api/v1/routing/availability", async (c) => c.json({ data: await people.list(c.get("call")) }));
  doc("get", "/api/v1/routing/availability/{user}", "A person's availability (`me` for the caller)", availability);
  app.get("/api/v1/routing/availability/:user", async (c) => c.json(await people.get(c.get("call"), c.req.param("user"))));
  doc(
    "patch",
    "/api/v1/routing/availability/{user}",
    "Change availability: your own, or anyone's as admin or manager",
    availability,
    200,
    availabilitySchema,
  );
  app.patch("/api/v1/routing/availability/:user", async (c) =>
    c.json(await people.update(c.get("call"), c.req.param("user"), await jsonBody(c))),
  );
}
