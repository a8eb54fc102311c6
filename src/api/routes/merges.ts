/**
 * Record merges over HTTP (issue 20, item 4; docs/data-quality.md "Merge" and "Undo"):
 * `POST /api/v1/{objects}/merges` merges one record into another, `GET /api/v1/merges/{id}` reads
 * a merge, `POST /api/v1/merges/{id}/undo` undoes it within the workspace's window, and
 * `GET /api/v1/{objects}/{id}/merges` lists the merges into a record. The body is checked here
 * for shape; the service checks ids, objects and fields against the workspace, each at its path.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { CallContext } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import type { MergeRequest } from "../../app/merges/merge-service.js";
import type { Services } from "../../composition/root.js";
import type { ObjectName } from "../../crm/fields.js";
import { OBJECTS } from "../../crm/objects.js";
import type { FieldChoice, MergeRow } from "../../store/ports.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";
import { presentRecord } from "../present.js";
import { jsonBody } from "../request.js";

const BODY_KEYS = ["survivor_id", "merged_id", "fields"] as const;

const mergeBodySchema = z
  .object({
    survivor_id: z.string().describe("the record that stays"),
    merged_id: z.string().describe("the record merged into it (kept as a tombstone pointing at the survivor)"),
    fields: z
      .record(z.string(), z.enum(["survivor", "merged"]))
      .optional()
      .describe(
        "per field, whose value wins; a field not named keeps the survivor's value, or the merged record's when the survivor's is empty",
      ),
  })
  .strict();

const mergeSchema = z.object({
  id: z.string(),
  object: z.string(),
  survivor_id: z.string(),
  merged_id: z.string(),
  fields: z.record(z.string(), z.enum(["survivor", "merged"])),
  survivor_changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
  moved: z.array(z.object({ record_id: z.string(), object: z.string(), field: z.string() })),
  merged_record: z.record(z.string(), z.unknown()).describe("the merged record as it was (its tombstone)"),
  merged_by: z.string(),
  merged_at: z.string(),
  undo_until: z.string().describe("until when it can be undone"),
  undone_at: z.string().nullable(),
  undone_by: z.string().nullable(),
});

/** The body's shape (types only): what is in it, with paths. */
function mergeBody(object: ObjectName, body: unknown): MergeRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AppError("bad_request", 'expected {"survivor_id": …, "merged_id": …, "fields"?: {…}}', [
      { path: [], code: "invalid_type", message: "an object", expected: "object" },
    ]);
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !(BODY_KEYS as readonly string[]).includes(k));
  if (extra !== undefined)
    throw new AppError("bad_request", `unknown member ${extra}`, [
      { path: [extra], code: "unknown_field", message: `expected one of ${BODY_KEYS.join(", ")}`, expected: BODY_KEYS },
    ]);
  for (const key of ["survivor_id", "merged_id"] as const)
    if (typeof b[key] !== "string" || b[key] === "")
      throw new AppError("bad_request", `${key} is the id of a ${object}`, [
        { path: [key], code: b[key] === undefined ? "required" : "invalid_type", message: `the id of a ${object}`, expected: "string" },
      ]);
  let fields: Record<string, FieldChoice> | undefined;
  if (b.fields !== undefined) {
    if (typeof b.fields !== "object" || b.fields === null || Array.isArray(b.fields))
      throw new AppError("bad_request", 'fields is an object: {"<field>": "survivor" | "merged"}', [
        { path: ["fields"], code: "invalid_type", message: "an object", expected: "object" },
      ]);
    fields = {};
    for (const [name, choice] of Object.entries(b.fields as Record<string, unknown>)) {
      if (choice !== "survivor" && choice !== "merged")
        throw new AppError("validation", `fields.${name} is "survivor" or "merged"`, [
          { path: ["fields", name], code: "invalid_value", message: 'choose "survivor" or "merged"', expected: ["survivor", "merged"] },
        ]);
      fields[name] = choice;
    }
  }
  return { object, survivorId: b.survivor_id as string, mergedId: b.merged_id as string, ...(fields ? { fields } : {}) };
}

export async function presentMerge(services: Services, call: CallContext, m: MergeRow) {
  return {
    id: m.id,
    object: m.object,
    survivor_id: m.survivorId,
    merged_id: m.mergedId,
    fields: m.fields,
    survivor_changes: m.survivorChanges,
    moved: m.moved.map((r) => ({ record_id: r.recordId, object: r.object, field: r.field })),
    merged_record: presentRecord(m.mergedSnapshot),
    merged_by: m.mergedBy,
    merged_at: m.mergedAt,
    undo_until: await services.merges.undoableUntil(call, m),
    undone_at: m.undoneAt,
    undone_by: m.undoneBy,
  };
}

export function mergeRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const idParam = z.object({ id: z.string() });
  const merges = services.merges;

  for (const def of Object.values(OBJECTS)) {
    const base = `/api/v1/${def.plural}`;
    const tags = [def.label];
    reg.registerPath({
      method: "post",
      path: `${base}/merges`,
      tags,
      security,
      summary: `Merge one ${def.name} into another: per field whose value wins; references move to the survivor; undoable`,
      request: { body: json(mergeBodySchema) },
      responses: {
        201: {
          description: "Merged: the merge, and the survivor as it is now",
          ...json(mergeSchema.extend({ survivor: z.record(z.string(), z.unknown()) })),
        },
        400: problemJson("Malformed body"),
        404: problemJson("A record the caller cannot see"),
        409: problemJson("A side is merged already (a tombstone), or was changed meanwhile"),
        422: problemJson("A record merged into itself, records of two objects, an unknown field"),
        423: problemJson("A field the merge changes awaits an approval decision"),
      },
    });
    app.post(`${base}/merges`, async (c) => {
      const call = c.get("call");
      const id = await merges.merge(call, mergeBody(def.name, await jsonBody(c)));
      const m = await merges.get(call, id);
      const survivor = await services.records.get(call, def.name, m.survivorId, []);
      return c.json({ ...(await presentMerge(services, call, m)), survivor: presentRecord(survivor.record) }, 201);
    });

    reg.registerPath({
      method: "get",
      path: `${base}/{id}/merges`,
      tags,
      security,
      summary: `The merges into a ${def.name}, newest first (undone ones too)`,
      request: { params: idParam },
      responses: { 200: { description: "Merges", ...json(z.object({ data: z.array(mergeSchema) })) } },
    });
    app.get(`${base}/:id/merges`, async (c) => {
      const call = c.get("call");
      const list = (await merges.mergesInto(call, c.req.param("id"))).filter((m) => m.object === def.name);
      return c.json({ data: await Promise.all(list.map((m) => presentMerge(services, call, m))) });
    });
  }

  reg.registerPath({
    method: "get",
    path: "/api/v1/merges/{id}",
    tags: ["Merges"],
    security,
    summary: "A merge: who merged what into what, the fields it changed, the references it moved, until when it can be undone",
    request: { params: idParam },
    responses: { 200: { description: "The merge", ...json(mergeSchema) }, 404: problemJson("No such merge in this workspace") },
  });
  app.get("/api/v1/merges/:id", async (c) => {
    const call = c.get("call");
    return c.json(await presentMerge(services, call, await merges.get(call, c.req.param("id"))));
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/merges/{id}/undo",
    tags: ["Merges"],
    security,
    summary: "Undo a merge within the workspace's window (merge_undo_days): both records as they were, references moved back",
    request: { params: idParam },
    responses: {
      200: { description: "Undone", ...json(mergeSchema) },
      404: problemJson("No such merge in this workspace"),
      409: problemJson("Undone already, past the window, or what it would put back was changed since (the problem names each)"),
    },
  });
  app.post("/api/v1/merges/:id/undo", async (c) => {
    const call = c.get("call");
    return c.json(await presentMerge(services, call, await merges.undo(call, c.req.param("id"))));
  });
}
