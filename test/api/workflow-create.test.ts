/**
 * Starting a workflow over real HTTP on both stores (issue 15, item 5 — the web app's New
 * workflow): `POST /api/v1/workflows {"definition", "create": true}` saves the first draft only
 * when the key is new; a key in use is a 409 naming `definition.key`, and the other workflow's
 * draft and versions stay as they were. Without `create` a save of the same key is that
 * workflow's next draft, as before. `create` that is not true or false is a 400 naming it.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const definition = (name: string) => ({
  key: "started",
  name,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "done",
  steps: { done: { type: "end" } },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`creating a workflow on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: false });

    it("creates once; a second create of the key is a 409 naming definition.key and changes nothing", async () => {
      const first = await env.s.post("/api/v1/workflows", { definition: definition("First"), create: true });
      expect(first.versions.map((v: Json) => [v.version, v.state])).toEqual([[1, "draft"]]);
      const again = await env.s.api("/api/v1/workflows", { method: "POST", json: { definition: definition("Second"), create: true } });
      const body = (await again.json()) as Json;
      expect(again.status, JSON.stringify(body)).toBe(409);
      expect(body.errors.map((e: Json) => e.path)).toEqual(["definition.key"]);
      expect(body.errors[0].message).toBe('taken by the workflow "First"');
      const stored = await env.s.get("/api/v1/workflows/started");
      expect(stored.name).toBe("First");
      expect(stored.versions.map((v: Json) => v.definition.name)).toEqual(["First"]);
      // Without create, the same key saves that workflow's draft (the builder's autosave).
      const saved = await env.s.post("/api/v1/workflows", { definition: definition("Renamed") });
      expect(saved.id).toBe(first.id);
    });

    it("refuses create that is not true or false, naming it", async () => {
      const res = await env.s.api("/api/v1/workflows", { method: "POST", json: { definition: definition("X"), create: "yes" } });
      const body = (await res.json()) as Json;
      expect(res.status).toBe(400);
      expect(body.errors.map((e: Json) => e.path)).toEqual(["create"]);
    });
  });
}
