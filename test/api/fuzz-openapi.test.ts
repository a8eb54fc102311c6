/**
 * Every operation of the OpenAPI document, attacked with arbitrary input (fast-check) on both
 * stores: hostile strings (NUL, lone surrogates, huge, template and path tricks) in path
 * parameters, query values and bodies; bodies shaped like the operation's schema with arbitrary
 * values; deep nesting; malformed JSON; wrong content types; a lower role. Whatever is sent:
 * no answer is a 5xx, a refused request (4xx) writes nothing, and the server stays healthy.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyType: string | undefined;
  bodyProps: string[];
}

/**
 * One PostgreSQL connection per database, kept for the whole property: opening one around every
 * request (twice) was most of the test's time on PostgreSQL, and the time grows with the routes.
 */
const pgClients = new Map<string, pg.Client>();
async function pgClient(url: string): Promise<pg.Client> {
  let client = pgClients.get(url);
  if (!client) {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    pgClients.set(url, client);
  }
  return client;
}
async function closePgClients(): Promise<void> {
  for (const client of pgClients.values()) await client.end();
  pgClients.clear();
}

/** Row counts of every table: a refused request must leave each one as it was. */
async function rowCounts(t: TestStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (t.location.dataDir) {
    const db = new Database(join(t.location.dataDir, "handoff.db"), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as {
        name: string;
      }[];
      for (const { name } of tables) out[name] = (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
    } finally {
      db.close();
    }
    return out;
  }
  const client = await pgClient(t.location.databaseUrl as string);
  const tables = await client.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public'");
  // One statement for all tables: this runs around every request of the property.
  const counts = await client.query<Record<string, string>>(
    `select ${tables.rows.map((r) => `(select count(*) from "${r.name}") as "${r.name}"`).join(", ")}`,
  );
  for (const [name, n] of Object.entries(counts.rows[0] ?? {})) out[name] = Number(n);
  return out;
}

function operationsOf(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!["get", "post", "patch", "put", "delete"].includes(method)) continue;
      const params = ((op as Json).parameters ?? []) as Json[];
      const content = ((op as Json).requestBody?.content ?? {}) as Json;
      const bodyType = Object.keys(content)[0];
      const schema = resolve(doc, bodyType ? (content[bodyType]?.schema as Json | undefined) : undefined);
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
        queryParams: params.filter((p) => p.in === "query").map((p) => p.name as string),
        bodyType,
        bodyProps: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return ops;
}

/** A schema with its `$ref` (to #/components/schemas/…) followed. */
function resolve(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref as string | undefined;
  return ref ? (doc.components?.schemas?.[ref.split("/").pop() as string] as Json | undefined) : schema;
}

/** Percent-encodes the UTF-8 of a string (a lone surrogate becomes U+FFFD, as any HTTP client sends it). */
const encode = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    "\u0000",
    "a\ud800@example.com",
    "ada@example.com",
    "+14155550123",
    "2026-03-01T09:30:00Z",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "x".repeat(5_000),
    "__proto__",
    "constructor",
    "' or 1=1 --",
    "{{ 7 | times: 7 }}",
    "{% include 'data/master.key' %}",
    "../../etc/passwd",
    "%00",
    "-1",
    "1e309",
    "lead",
    "admin",
    "",
  ),
  fc.constantFrom("\u0000", "\ud800", "a\ud800@example.com", "x\u0000@example.com"),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
/** Raw URL text for a parameter: an encoded hostile string, or raw percent sequences (invalid UTF-8, NUL). */
const urlText = fc.oneof(hostileString.map(encode), fc.constantFrom("%00", "%ED%A0%80", "%FF", "%", "%zz", "..", "%2e%2e", "a%2Fb"));

function bodyFor(op: Operation): fc.Arbitrary<string> {
  const shaped =
    op.bodyProps.length > 0
      ? fc.record(Object.fromEntries(op.bodyProps.map((p) => [p, hostileValue])), { requiredKeys: [] })
      : fc.dictionary(hostileString, hostileValue, { maxKeys: 4 });
  return fc.oneof(
    { weight: 5, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => `${'{"and":['.repeat(n)}1${"]}".repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom("{", "nul\u0000l", '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}', "") },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  );
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`every OpenAPI operation under arbitrary input on ${kind.name}`, () => {
    const env = useTestServer(kind, { bodyLimitBytes: 64 * 1024 });
    // Registered after the server's hooks, so it runs before them (hooks unwind as a stack): the
    // test database can only be dropped once this connection is gone.
    afterAll(closePgClients);
    let ops: Operation[];
    let repToken: string;

    beforeAll(async () => {
      const doc = (await (await fetch(`${env.s.url}/openapi.json`)).json()) as Json;
      ops = operationsOf(doc);
      repToken = (await env.s.services.tokens.create(env.s.workspace.id, "fuzz rep", "rep")).secret;
    });

    it("never answers 5xx, writes nothing when it refuses, and stays healthy", { timeout: 240_000 }, async () => {
      expect(ops.length).toBeGreaterThan(30);
      const request = fc.integer({ min: 0, max: ops.length - 1 }).chain((i) => {
        const op = ops[i] as Operation;
        return fc.record({
          op: fc.constant(op),
          params: fc.tuple(...op.pathParams.map(() => urlText), fc.constant("")),
          query: fc.array(
            fc.tuple(op.queryParams.length > 0 ? fc.oneof(fc.constantFrom(...op.queryParams), hostileString) : hostileString, urlText),
            { maxLength: 3 },
          ),
          body: op.bodyType ? fc.option(bodyFor(op), { freq: 6 }) : fc.constant(null),
          contentType: fc.oneof(
            { weight: 6, arbitrary: fc.constant(op.bodyType ?? "application/json") },
            { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/json", "application/x-www-form-urlencoded", "text/csv") },
          ),
          asRep: fc.boolean(),
        });
      });
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(request, async ({ op, params, query, body, contentType, asRep }) => {
          let i = 0;
          const path = op.path.replace(/\{\w+\}/g, () => params[i++] || "x");
          const qs = query.map(([k, v]) => `${encode(k)}=${v}`).join("&");
          const before = await rowCounts(env.t);
          const res = await fetch(`${env.s.url}${path}${qs ? `?${qs}` : ""}`, {
            method: op.method,
            headers: {
              authorization: `Bearer ${asRep ? repToken : env.s.token}`,
              ...(body !== null ? { "content-type": contentType } : {}),
            },
            ...(body !== null && op.method !== "GET" && op.method !== "DELETE" ? { body } : {}),
            redirect: "manual",
          });
          const text = await res.text();
          sent += 1;
          const what = `${op.method} ${path}${qs ? `?${qs}` : ""} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) expect(await rowCounts(env.t), `a refused request wrote: ${what}`).toEqual(before);
        }),
        { numRuns: Math.max(400, ops.length * 6), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
      expect(sent).toBeGreaterThan(0);
      const health = await fetch(`${env.s.url}/health`);
      expect(health.status).toBe(200);
    });
  });
}
