/** The webhook subscriptions API over real HTTP on both stores: secrets shown once, patterns checked by path. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { STORES, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`webhook subscriptions API on ${kind.name}`, () => {
    let t: TestStore;
    let s: TestServer;

    beforeAll(async () => {
      t = await kind.open();
      s = await startTestServer(t);
    });
    afterAll(async () => {
      await s?.close();
      await t?.dispose();
    });

    it("creates with a whsec_ secret shown once, lists and reads without it, changes, rotates and deletes", async () => {
      const created = await s.post("/api/v1/webhook-subscriptions", {
        url: "https://hooks.example.com/handoff",
        description: "Mirror leads",
        events: ["lead.created", "*.deleted", "workflow.step:speed-to-lead/call-task"],
      });
      expect(created).toMatchObject({ url: "https://hooks.example.com/handoff", active: true, description: "Mirror leads" });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const read = await s.get(`/api/v1/webhook-subscriptions/${created.id}`);
      expect(read.secret).toBeUndefined();
      expect(JSON.stringify(await s.get("/api/v1/webhook-subscriptions"))).not.toContain("whsec_");

      const patched = await s.api(`/api/v1/webhook-subscriptions/${created.id}`, {
        method: "PATCH",
        json: { active: false, events: ["deal.*"] },
      });
      expect(await patched.json()).toMatchObject({ active: false, events: ["deal.*"] });
      const rotated = await s.post(`/api/v1/webhook-subscriptions/${created.id}/rotate-secret`, {});
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(created.secret);
      expect((await s.api(`/api/v1/webhook-subscriptions/${created.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await s.api(`/api/v1/webhook-subscriptions/${created.id}`)).status).toBe(404);
    });

    it("refuses unknown event patterns and non-http URLs, naming the path", async () => {
      const res = await s.api("/api/v1/webhook-subscriptions", {
        method: "POST",
        json: { url: "ftp://files.example.com", events: ["lead.created", "lead.moved"] },
      });
      expect(res.status).toBe(422);
      const paths = ((await res.json()) as Json).errors.map((e: Json) => e.path);
      expect(paths).toEqual(expect.arrayContaining(["url", "events[1]"]));
      const empty = await s.api("/api/v1/webhook-subscriptions", { method: "POST", json: { url: "https://x.example.com", events: [] } });
      expect(empty.status).toBe(422);
    });

    it("only admins of the workspace see subscriptions", async () => {
      const created = await s.post("/api/v1/webhook-subscriptions", { url: "https://x.example.com", events: ["*.*"] });
      const other = await s.newWorkspace("other");
      expect((await s.api(`/api/v1/webhook-subscriptions/${created.id}`, { as: other.token })).status).toBe(404);
      const integration = await s.newWorkspace("robots", "integration");
      expect((await s.api("/api/v1/webhook-subscriptions", { as: integration.token })).status).toBe(404);
    });
  });
}
