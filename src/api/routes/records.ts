/**
 * CRUD, search, bulk, history and CSV for every CRM object, generated from the object
 * definitions. Handlers are thin: read the request, call a service, present the result.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { stream } from "hono/streaming";
import { AppError } from "../../app/errors.js";
import type { Services } from "../../composition/root.js";
import { OBJECTS, type ObjectDef } from "../../crm/objects.js";
import type { ApiEnv } from "../env.js";
import { problemSchema, schemasFor } from "../openapi/record-schemas.js";
import { etagOf, presentAudit, presentRecord, presentWithRelated } from "../present.js";
import { filterFromQuery, ifMatchVersion, includeFromQuery, intParam, jsonBody, parseFilterJson } from "../request.js";

const problems = {
  400: { description: "Malformed request", content: { "application/problem+json": { schema: problemSchema } } },
  401: { description: "Missing or invalid token", content: { "application/problem+json": { schema: problemSchema } } },
  404: { description: "Not found (or not visible to this token)", content: { "application/problem+json": { schema: problemSchema } } },
  422: { description: "Invalid fields", content: { "application/problem+json": { schema: problemSchema } } },
};

const listQuery = z.object({
  filter: z.string().optional().openapi({ description: 'JSON filter tree: {"and":[{"field":"score","op":"gt","value":40}]}' }),
  where: z.string().optional().openapi({ description: "Shorthand condition field:op:value, repeatable (ANDed), e.g. score:gt:40" }),
  sort: z.string().optional().openapi({ description: "Field to sort by; prefix with - for descending. Default id (creation order)." }),
  limit: z.string().optional().openapi({ description: "Page size 1–500, default 50" }),
  cursor: z.string().optional().openapi({ description: "next_cursor of the previous page" }),
  include: z.string().optional().openapi({ description: "Comma-separated reference fields to embed, e.g. company_id,owner_id" }),
});

const searchBody = z
  .object({
    filter: z.unknown().optional(),
    sort: z.string().optional(),
    limit: z.number().int().optional(),
    cursor: z.string().optional(),
    include: z.array(z.string()).optional(),
  })
  .strict();

function document(app: OpenAPIHono<ApiEnv>, def: ObjectDef) {
  const s = schemasFor(def);
  const base = `/api/v1/${def.plural}`;
  const tags = [def.label];
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const id = z.object({ id: z.string() });
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const page = z.object({ data: z.array(s.record), next_cursor: z.string().nullable() });
  const reg = app.openAPIRegistry;
  reg.registerPath({
    method: "get",
    path: base,
    tags,
    security,
    summary: `List ${def.plural}`,
    request: { query: listQuery },
    responses: { 200: { description: "A page", ...json(page) }, ...problems },
  });
  reg.registerPath({
    method: "post",
    path: base,
    tags,
    security,
    summary: `Create a ${def.name}`,
    request: { body: json(s.create) },
    responses: { 201: { description: "Created; ETag carries the version", ...json(s.record) }, ...problems },
  });
  reg.registerPath({
    method: "post",
    path: `${base}/search`,
    tags,
    security,
    summary: `Search ${def.plural} with a JSON filter`,
    request: { body: json(searchBody) },
    responses: { 200: { description: "A page", ...json(page) }, ...problems },
  });
  reg.registerPath({
    method: "post",
    path: `${base}/bulk`,
    tags,
    security,
    summary: `Create up to 1,000 ${def.plural}, all or none`,
    request: { body: json(z.object({ records: z.array(s.create) })) },
    responses: { 201: { description: "Created", ...json(z.object({ data: z.array(s.record) })) }, ...problems },
  });
  reg.registerPath({
    method: "patch",
    path: `${base}/bulk`,
    tags,
    security,
    summary: `Update up to 1,000 ${def.plural}, all or none`,
    request: {
      body: json(z.object({ records: z.array(z.object({ id: z.string(), version: z.number().int().optional(), fields: s.update })) })),
    },
    responses: {
      200: { description: "Updated", ...json(z.object({ data: z.array(s.record) })) },
      412: { description: "A version is stale" },
      ...problems,
    },
  });
  reg.registerPath({
    method: "get",
    path: `${base}/export.csv`,
    tags,
    security,
    summary: `Export ${def.plural} as CSV (formula prefixes neutralised)`,
    request: { query: listQuery.pick({ filter: true, where: true }) },
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...problems },
  });
  reg.registerPath({
    method: "post",
    path: `${base}/import`,
    tags,
    security,
    summary: `Import ${def.plural} from CSV (header = field names), all or none`,
    request: { body: { content: { "text/csv": { schema: z.string() } } } },
    responses: {
      201: { description: "Imported", ...json(z.object({ imported: z.number().int() })) },
      413: { description: "Body too large" },
      ...problems,
    },
  });
  reg.registerPath({
    method: "get",
    path: `${base}/{id}`,
    tags,
    security,
    summary: `Get a ${def.name} (a merged ${def.name}'s id answers with its survivor, \`merged_from\` saying so)`,
    request: { params: id, query: listQuery.pick({ include: true }) },
    responses: { 200: { description: "The record; ETag carries the version", ...json(s.record) }, ...problems },
  });
  reg.registerPath({
    method: "patch",
    path: `${base}/{id}`,
    tags,
    security,
    summary: `Update a ${def.name} (If-Match for optimistic concurrency; null clears a field)`,
    request: {
      params: id,
      query: z.object({
        override_approval_lock: z
          .enum(["true"])
          .optional()
          .describe("admins: write through a pending approval's lock (recorded in the request's history)"),
      }),
      body: json(s.update),
    },
    responses: {
      200: { description: "Updated", ...json(s.record) },
      412: { description: "If-Match is stale" },
      423: {
        description:
          "The record awaits approval and the write touches what is locked (the problem says which request, and who must decide)",
      },
      ...problems,
    },
  });
  reg.registerPath({
    method: "delete",
    path: `${base}/{id}`,
    tags,
    security,
    summary: `Delete a ${def.name}`,
    request: { params: id },
    responses: {
      204: { description: "Deleted" },
      409: { description: "Still referenced" },
      412: { description: "If-Match is stale" },
      ...problems,
    },
  });
  reg.registerPath({
    method: "get",
    path: `${base}/{id}/history`,
    tags,
    security,
    summary: `Audit trail of a ${def.name}: who changed which field from what to what`,
    request: { params: id },
    responses: { 200: { description: "Newest first", ...json(z.object({ data: z.array(z.unknown()) })) }, ...problems },
  });
}

export function recordRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  for (const def of Object.values(OBJECTS)) {
    document(app, def);
    const base = `/api/v1/${def.plural}`;
    const object = def.name;

    app.get(base, async (c) => {
      const call = c.get("call");
      const fields = await services.records.fields(call, object);
      const filter = filterFromQuery(c, fields);
      const limit = intParam(c, "limit");
      const cursor = c.req.query("cursor");
      const sort = c.req.query("sort");
      const page = await services.records.list(call, object, {
        ...(filter ? { filter } : {}),
        ...(sort ? { sort } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
        include: includeFromQuery(c),
      });
      return c.json({ data: page.items.map(presentWithRelated), next_cursor: page.nextCursor });
    });

    app.post(`${base}/search`, async (c) => {
      const parsed = searchBody.safeParse(await jsonBody(c));
      if (!parsed.success) {
        throw new AppError(
          "bad_request",
          "search takes {filter, sort, limit, cursor, include}",
          parsed.error.issues.map((i) => ({
            path: i.path.filter((p): p is string | number => typeof p !== "symbol"),
            code: "invalid_value" as const,
            message: i.message,
          })),
        );
      }
      const b = parsed.data;
      const page = await services.records.list(c.get("call"), object, {
        ...(b.filter !== undefined ? { filter: parseFilterJson(b.filter, ["filter"]) } : {}),
        ...(b.sort ? { sort: b.sort } : {}),
        ...(b.limit !== undefined ? { limit: b.limit } : {}),
        ...(b.cursor ? { cursor: b.cursor } : {}),
        include: b.include ?? [],
      });
      return c.json({ data: page.items.map(presentWithRelated), next_cursor: page.nextCursor });
    });

    app.post(base, async (c) => {
      const created = await services.writer.create(c.get("call"), object, await jsonBody(c));
      c.header("etag", etagOf(created));
      c.header("location", `${base}/${created.id}`);
      return c.json(presentRecord(created), 201);
    });

    app.post(`${base}/bulk`, async (c) => {
      const body = (await jsonBody(c)) as { records?: unknown };
      if (!Array.isArray(body?.records))
        throw new AppError("bad_request", 'expected {"records": [ … ]}', [
          { path: ["records"], code: "invalid_type", message: "expected an array of records", expected: "array" },
        ]);
      const created = await services.writer.createMany(c.get("call"), object, body.records, { pathOf: (i) => ["records", i] });
      return c.json({ data: created.map(presentRecord) }, 201);
    });

    app.patch(`${base}/bulk`, async (c) => {
      const body = (await jsonBody(c)) as { records?: unknown };
      const items = bulkUpdateItems(body?.records);
      const updated = await services.writer.updateMany(c.get("call"), object, items);
      return c.json({ data: updated.map(presentRecord) });
    });

    app.get(`${base}/export.csv`, async (c) => {
      const call = c.get("call");
      const fields = await services.records.fields(call, object);
      const chunks = services.csv.export(call, object, filterFromQuery(c, fields));
      // Pull the first chunk before answering, so permission and filter errors still get a 4xx.
      const first = await chunks.next();
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${def.plural}.csv"`);
      return stream(c, async (s) => {
        if (!first.done) await s.write(first.value);
        for await (const chunk of chunks) await s.write(chunk);
      });
    });

    app.post(`${base}/import`, async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/csv\b/i.test(type)) {
        throw new AppError("bad_request", "send the CSV with 'Content-Type: text/csv'", [
          { path: ["content-type"], code: "invalid_value", message: `expected text/csv, got "${type || "nothing"}"`, expected: "text/csv" },
        ]);
      }
      const imported = await services.csv.import(c.get("call"), object, await c.req.text());
      return c.json({ imported: imported.length, ids: imported.map((r) => r.id) }, 201);
    });

    app.get(`${base}/:id`, async (c) => {
      const call = c.get("call");
      const id = c.req.param("id");
      const include = includeFromQuery(c);
      const found = await services.records.get(call, object, id, include).catch(async (error: unknown) => {
        // A merged record's id keeps resolving: to its survivor (following merges of merges), saying so.
        if (!(error instanceof AppError) || error.kind !== "not_found") throw error;
        const to = await services.merges.resolve(call, id);
        if (!to || to.merge.object !== object) throw error;
        const mergedFrom = { id, merge_id: to.merge.id, merged_at: to.merge.mergedAt };
        return { ...(await services.records.get(call, object, to.survivorId, include)), mergedFrom };
      });
      c.header("etag", etagOf(found.record));
      if ("mergedFrom" in found) {
        c.header("content-location", `${base}/${found.record.id}`);
        c.header("handoff-merged-into", found.record.id);
        return c.json({ ...presentWithRelated(found), merged_from: found.mergedFrom });
      }
      return c.json(presentWithRelated(found));
    });

    app.patch(`${base}/:id`, async (c) => {
      const expectedVersion = ifMatchVersion(c);
      const override = c.req.query("override_approval_lock");
      if (override !== undefined && override !== "true")
        throw new AppError("bad_request", 'override_approval_lock is "true" or absent', [
          { path: ["override_approval_lock"], code: "invalid_value", message: `expected true, got "${override}"`, expected: ["true"] },
        ]);
      const updated = await services.writer.update(c.get("call"), object, {
        id: c.req.param("id"),
        fields: await jsonBody(c),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(override === "true" ? { overrideApprovalLock: true } : {}),
      });
      c.header("etag", etagOf(updated));
      return c.json(presentRecord(updated));
    });

    app.delete(`${base}/:id`, async (c) => {
      await services.writer.delete(c.get("call"), object, c.req.param("id"), ifMatchVersion(c));
      return c.body(null, 204);
    });

    app.get(`${base}/:id/history`, async (c) => {
      const entries = await services.records.history(c.get("call"), object, c.req.param("id"));
      return c.json({ data: entries.map(presentAudit) });
    });
  }
}

function bulkUpdateItems(records: unknown) {
  if (!Array.isArray(records)) {
    throw new AppError("bad_request", 'expected {"records": [{"id": …, "version": …, "fields": {…}}]}', [
      { path: ["records"], code: "invalid_type", message: "expected an array", expected: "array" },
    ]);
  }
  return records.map((r, i) => {
    const item = r as { id?: unknown; version?: unknown; fields?: unknown };
    if (typeof item?.id !== "string")
      throw new AppError("bad_request", "each item needs an id", [
        { path: ["records", i, "id"], code: "required", message: "expected the record id" },
      ]);
    if (item.version !== undefined && !Number.isInteger(item.version)) {
      throw new AppError("bad_request", "version must be an integer", [
        { path: ["records", i, "version"], code: "invalid_type", message: "expected an integer", expected: "integer" },
      ]);
    }
    return { id: item.id, fields: item.fields ?? {}, ...(item.version !== undefined ? { expectedVersion: item.version as number } : {}) };
  });
}
