/**
 * The web app's API types follow the API: web/src/api/schema.d.ts (committed) must be exactly
 * what `npm run gen:api` makes from today's /openapi.json. When an API change makes this fail,
 * run `npm run gen:api` and fix what the web app's type check (`npm run typecheck`) then finds.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument, SCHEMA_FILE, schemaSource } from "../../scripts/api-schema.js";

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
