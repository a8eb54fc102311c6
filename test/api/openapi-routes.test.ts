/**
 * The OpenAPI document lists every public route (engineering.md §1: "the API document cannot
 * drift from the code"). The routes are read from the Hono app itself (`app.routes`), so a route
 * added with `app.get(…)` and no `registerPath` fails here; the document is fetched over real
 * HTTP from a started server, on both stores.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { loadConfig } from "../../src/composition/config.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

/**
 * Served but not operations of the document: the document itself, and the web app's files and
 * client routes (src/api/web-app.ts: every GET that no server route takes, never under a server path).
 */
const NOT_OPERATIONS = new Set(["GET /openapi.json", "GET /*"]);

/** Hono's `/api/v1/runs/:id` → OpenAPI's `/api/v1/runs/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`every public route is in /openapi.json (${kind.name})`, () => {
    const env = useTestServer(kind);

    it("walks app.routes against the document's paths, both ways", async () => {
      const res = await fetch(`${env.s.url}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
      const documented = new Set(
        Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)),
      );

      const app = createApp(env.s.services, loadConfig({}, {}), pino({ level: "silent" }));
      const served = new Set(
        app.routes
          .filter((r) => r.method !== "ALL") // middleware (app.use), not routes
          .map((r) => `${r.method} ${openApiPath(r.path)}`)
          .filter((op) => !NOT_OPERATIONS.has(op)),
      );
      expect(served.size).toBeGreaterThan(50);

      const missing = [...served].filter((op) => !documented.has(op)).sort();
      expect(missing, "served by Hono but missing from /openapi.json").toEqual([]);
      const phantom = [...documented].filter((op) => !served.has(op)).sort();
      expect(phantom, "in /openapi.json but not served").toEqual([]);
    });

    it("GET /api/schema/workflow.json is documented and answers the JSON Schema of the workflow format", async () => {
      const doc = (await (await fetch(`${env.s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
      expect(doc.paths["/api/schema/workflow.json"]?.get).toBeDefined();
      const res = await fetch(`${env.s.url}/api/schema/workflow.json`);
      expect(res.status).toBe(200);
      const schema = (await res.json()) as Record<string, unknown>;
      expect(schema).toHaveProperty("properties");
    });
  });
}
