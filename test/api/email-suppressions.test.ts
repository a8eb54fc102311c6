/**
 * The suppression list over HTTP and the public unsubscribe page, on both stores: problems name
 * the path, roles are checked, unsubscribe links are signed and a bad one reveals nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { STORES, type TestStore } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email suppressions API on ${kind.name}`, () => {
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

    it("adds, lists, refuses bad input by path, and removes", async () => {
      const first = await s.api("/api/v1/email-suppressions", {
        method: "POST",
        json: { email: "Ada@Example.test", detail: "asked by phone" },
      });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ email: "ada@example.test", reason: "manual", detail: "asked by phone" });
      const again = await s.api("/api/v1/email-suppressions", { method: "POST", json: { email: "ada@example.test", reason: "bounce" } });
      expect(again.status).toBe(200);
      expect((await again.json()).reason).toBe("manual");

      const bad = await s.api("/api/v1/email-suppressions", { method: "POST", json: { email: "not an address", reason: "spam", x: 1 } });
      expect(bad.status).toBe(422);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      const paths = ((await bad.json()).errors as Array<{ path: string }>).map((e) => e.path).sort();
      expect(paths).toEqual(["reason", "x"]);
      const badEmail = await s.api("/api/v1/email-suppressions", { method: "POST", json: { email: "not an address" } });
      expect((await badEmail.json()).errors).toEqual([expect.objectContaining({ path: "email" })]);

      await s.post("/api/v1/email-suppressions", { email: "bo@example.test" });
      const page1 = await s.get("/api/v1/email-suppressions?limit=1");
      expect(page1).toMatchObject({ data: [{ email: "ada@example.test" }], next_after: "ada@example.test" });
      const page2 = await s.get("/api/v1/email-suppressions?limit=1&after=ada@example.test");
      expect(page2.data.map((x: { email: string }) => x.email)).toEqual(["bo@example.test"]);

      expect((await s.api("/api/v1/email-suppressions/BO@example.test", { method: "DELETE" })).status).toBe(204);
      expect((await s.api("/api/v1/email-suppressions/bo@example.test", { method: "DELETE" })).status).toBe(404);
    });

    it("is not there for reps, and lifting a bounce makes the contact valid again", async () => {
      const { token: rep } = await s.newWorkspace("reps-only", "rep");
      expect((await s.api("/api/v1/email-suppressions", { as: rep })).status).toBe(404);

      const contact = await s.post("/api/v1/contacts", { last_name: "Gone", email: "Gone@example.test" });
      await s.post("/api/v1/email-suppressions", { email: "gone@example.test", reason: "bounce", detail: "550 no such user" });
      expect((await s.get(`/api/v1/contacts/${contact.id}`)).email_status).toBe("bouncing");
      expect((await s.api("/api/v1/email-suppressions/gone@example.test", { method: "DELETE" })).status).toBe(204);
      expect((await s.get(`/api/v1/contacts/${contact.id}`)).email_status).toBe("valid");
    });

    it("unsubscribes through a signed link: the page asks, the POST (one-click) suppresses and marks the lead", async () => {
      const lead = await s.post("/api/v1/leads", { last_name: "Left", email: "left@example.test" });
      const url = s.services.suppressions.unsubscribeUrl(s.workspace.id, "LEFT@example.test");
      const path = new URL(url ?? "").pathname;
      expect(path).toMatch(/^\/unsubscribe\/[\w-]+\.[\w-]+$/);

      const ask = await fetch(`${s.url}${path}`);
      expect(ask.status).toBe(200);
      expect(await ask.text()).toContain("left@example.test");
      expect((await s.get(`/api/v1/leads/${lead.id}`)).email_status).toBeUndefined();

      const done = await fetch(`${s.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("will not receive these emails");
      expect((await s.get(`/api/v1/leads/${lead.id}`)).email_status).toBe("unsubscribed");
      const suppression = (await s.get("/api/v1/email-suppressions?limit=100")).data.find(
        (x: { email: string }) => x.email === "left@example.test",
      );
      expect(suppression).toMatchObject({ reason: "unsubscribe" });
    });

    it("answers a forged or altered link with a plain 404 that names nothing", async () => {
      const path = new URL(s.services.suppressions.unsubscribeUrl(s.workspace.id, "x@example.test") ?? "").pathname;
      const [body, mac] = path.slice("/unsubscribe/".length).split(".");
      const forgedBody = Buffer.from(JSON.stringify([s.workspace.id, "other@example.test"])).toString("base64url");
      for (const token of [`${forgedBody}.${mac}`, `${body}.${mac}x`, "garbage", `${body}`]) {
        for (const method of ["GET", "POST"]) {
          const res = await fetch(`${s.url}/unsubscribe/${token}`, { method });
          expect(res.status).toBe(404);
          const text = await res.text();
          expect(text).not.toContain(s.workspace.id);
          expect(text).not.toContain("acme");
        }
      }
      expect((await s.get("/api/v1/email-suppressions?limit=100")).data.map((x: { email: string }) => x.email)).not.toContain(
        "other@example.test",
      );
    });
  });
}
