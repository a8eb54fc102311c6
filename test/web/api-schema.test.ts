/**
 * The web app's API types follow the API: web/src/api/schema.d.ts (committed) must be exactly
 * what `npm run gen:api` makes from today's /openapi.json. When an API change makes this fail,
 * run `npm run gen:api` and fix what the web app's type check (`npm run typecheck`) then finds.
 * The answers the run, timeline and workflow pages read are typed all the way down: no `{}`
 * (what `z.unknown()` makes, typed `unknown` in the app) except where any JSON is the honest type.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { openApiDocument, SCHEMA_FILE, schemaSource } from "../../scripts/api-schema.js";
import type { StepEffect } from "../../src/api/routes/run-schemas.js";
import type { Effect } from "../../src/runtime/effects.js";

describe("the generated API client", () => {
  it("is made from the in-process OpenAPI document, without a port", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths as object)).toContain("/api/v1/leads");
  });

  it("web/src/api/schema.d.ts is what npm run gen:api makes from today's API", async () => {
    const committed = readFileSync(resolve(import.meta.dirname, "../..", SCHEMA_FILE), "utf8");
    const fresh = await schemaSource();
    // One message that says what to do rather than a 10,000-line diff.
    expect(committed === fresh, `${SCHEMA_FILE} is stale: run \`npm run gen:api\`, then \`npm run typecheck\``).toBe(true);
  });
});

/** The operations whose answers the run inspector, the runs lists, the record page and the workflow pages read. */
const TYPED_ANSWERS = [
  "get /api/v1/runs",
  "get /api/v1/runs/{id}",
  "post /api/v1/runs/{id}/retry",
  "post /api/v1/runs/{id}/cancel",
  "post /api/v1/runs/{id}/skip-wait",
  "get /api/v1/{objects}/{id}/timeline",
  "get /api/v1/workflows",
  "get /api/v1/workflows/{id}",
  "get /api/v1/workflows/{id}/log",
  "post /api/v1/workflows",
  "post /api/v1/workflows/validate",
  "post /api/v1/workflows/{id}/publish",
  "post /api/v1/workflows/{id}/archive",
  "post /api/v1/workflows/{id}/enroll",
];

/**
 * Where a free-form value is what the answer really holds: a workflow definition (its own JSON
 * Schema is GET /api/schema/workflow.json), a record's fields (any object, custom fields too), the
 * old and new values of a changed field, the field values an effect wrote.
 */
const FREE_FORM = [
  /\/properties\/definition$/,
  /^#\/components\/schemas\/AnyRecord\/additionalProperties$/,
  /\/properties\/(old|new)$/,
  /\/properties\/fields\/additionalProperties$/,
];

type Schema = Record<string, unknown>;
const WORDS_ONLY = new Set(["description", "title", "examples", "example", "deprecated"]);

/** Every place under `schema` that says nothing of its value (`{}`), as JSON pointers into the document. */
function untypedPlaces(doc: Schema, schema: Schema, at: string, seen = new Set<string>()): string[] {
  const ref = schema.$ref;
  if (typeof ref === "string") {
    if (seen.has(ref)) return [];
    seen.add(ref);
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], doc) as Schema | undefined;
    return target ? untypedPlaces(doc, target, ref, seen) : [`${at} → ${ref} (missing)`];
  }
  if (Object.keys(schema).every((k) => WORDS_ONLY.has(k))) return [at];
  const out: string[] = [];
  for (const [name, sub] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {}))
    out.push(...untypedPlaces(doc, sub, `${at}/properties/${name}`, seen));
  if (schema.items && typeof schema.items === "object") out.push(...untypedPlaces(doc, schema.items as Schema, `${at}/items`, seen));
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    out.push(...untypedPlaces(doc, schema.additionalProperties as Schema, `${at}/additionalProperties`, seen));
  for (const key of ["allOf", "anyOf", "oneOf"])
    for (const [i, sub] of ((schema[key] as Schema[] | undefined) ?? []).entries())
      out.push(...untypedPlaces(doc, sub, `${at}/${key}/${i}`, seen));
  return out;
}

describe("the run, timeline and workflow answers are typed in the OpenAPI document", () => {
  it("each of them has a 2xx JSON schema that is typed all the way down, but for the free-form values named here", async () => {
    const doc = await openApiDocument();
    const paths = doc.paths as Record<string, Record<string, { responses?: Record<string, Schema> }>>;
    const problems: string[] = [];
    for (const op of TYPED_ANSWERS) {
      const [method = "", path = ""] = op.split(" ");
      const responses = paths[path]?.[method]?.responses ?? {};
      const ok = Object.entries(responses).filter(([status]) => status.startsWith("2"));
      if (ok.length === 0) problems.push(`${op}: no 2xx answer documented`);
      for (const [status, response] of ok) {
        const schema = (response.content as Record<string, { schema?: Schema }> | undefined)?.["application/json"]?.schema;
        if (!schema) {
          problems.push(`${op} ${status}: no JSON schema`);
          continue;
        }
        for (const place of untypedPlaces(doc, schema, `${op} ${status}`))
          if (!FREE_FORM.some((re) => re.test(place))) problems.push(`${op} ${status}: untyped at ${place}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("a step's effects are described by StepEffect: every Effect the executor stores is one (checked by the type check)", () => {
    // The api layer may not import the runtime; this test may, and holds the two together.
    expectTypeOf<Effect>().toExtend<StepEffect>();
  });
});
