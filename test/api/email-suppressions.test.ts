/**
 * The suppression list over HTTP and the public unsubscribe page, on both stores: problems name
 * the path, roles are checked, unsubscribe links are signed and a bad one reveals nothing.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email suppressions API on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("adds, lists, refuses bad input by path, and removes", async () => {
      const first = await env.s.api("/api/v1/email-suppressions", {
        method: "POST",
        json: { email: "Ada@Example.test", detail: "asked by phone" },
      });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ email: "ada@example.test", reason: "manual", detail: "asked by phone" });
      const again = await env.s.api("/api/v1/email-suppressions", {
        method: "POST",
        json: { email: "ada@example.test", reason: "bounce" },
      });
      expect(again.status).toBe(200);
      expect((await again.json()).reason).toBe("manual");

      const bad = await env.s.api("/api/v1/email-suppressions", {
        method: "POST",
        json: { email: "not an address", reason: "spam", x: 1 },
      });
      expect(bad.status).toBe(422);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      const paths = ((await bad.json()).errors as Array<{ path: string }>).map((e) => e.path).sort();
      expect(paths).toEqual(["reason", "x"]);
      const badEmail = await env.s.api("/api/v1/email-suppressions", { method: "POST", json: { email: "not an address" } });
      expect((await badEmail.json()).errors).toEqual([expect.objectContaining({ path: "email" })]);

      await env.s.post("/api/v1/email-suppressions", { email: "bo@example.test" });
      const page1 = await env.s.get("/api/v1/email-suppressions?limit=1");
      expect(page1).toMatchObject({ data: [{ email: "ada@example.test" }], next_after: "ada@example.test" });
      const page2 = await env.s.get("/api/v1/email-suppressions?limit=1&after=ada@example.test");
      expect(page2.data.map((x: { email: string }) => x.email)).toEqual(["bo@example.test"]);

      expect((await env.s.api("/api/v1/email-suppressions/BO@example.test", { method: "DELETE" })).status).toBe(204);
      expect((await env.s.api("/api/v1/email-suppressions/bo@example.test", { method: "DELETE" })).status).toBe(404);
    });

    it("is not there for reps, and lifting a bounce makes the contact valid again", async () => {
      const { token: rep } = await env.s.newWorkspace("reps-only", "rep");
      expect((await env.s.api("/api/v1/email-suppressions", { as: rep })).status).toBe(404);

      const contact = await env.s.post("/api/v1/contacts", { last_name: "Gone", email: "Gone@example.test" });
      await env.s.post("/api/v1/email-suppressions", { email: "gone@example.test", reason: "bounce", detail: "550 no such user" });
      expect((await env.s.get(`/api/v1/contacts/${contact.id}`)).email_status).toBe("bouncing");
      expect((await env.s.api("/api/v1/email-suppressions/gone@example.test", { method: "DELETE" })).status).toBe(204);
      expect((await env.s.get(`/api/v1/contacts/${contact.id}`)).email_status).toBe("valid");
    });

    it("unsubscribes through a signed link: the page asks, the POST (one-click) suppresses and marks the lead", async () => {
      // Stored as typed; the unsubscribe link (made for any spelling) still finds it.
      const lead = await env.s.post("/api/v1/leads", { last_name: "Left", email: "Left@Example.test" });
      const url = env.s.services.suppressions.unsubscribeUrl(env.s.workspace.id, "LEFT@example.test");
      const path = new URL(url ?? "").pathname;
      expect(path).toMatch(/^\/unsubscribe\/[\w-]+\.[\w-]+$/);

      const ask = await fetch(`${env.s.url}${path}`);
      expect(ask.status).toBe(200);
      expect(await ask.text()).toContain("left@example.test");
      expect((await env.s.get(`/api/v1/leads/${lead.id}`)).email_status).toBeUndefined();

      const done = await fetch(`${env.s.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("will not receive these emails");
      expect((await env.s.get(`/api/v1/leads/${lead.id}`)).email_status).toBe("unsubscribed");
      const suppression = (await env.s.get("/api/v1/email-suppressions?limit=100")).data.find(
        (x: { email: string }) => x.email === "left@example.test",
      );
      expect(suppression).toMatchObject({ reason: "unsubscribe" });
    });

    it("answers a forged or altered link with a plain 404 that names nothing", async () => {
      const path = new URL(env.s.services.suppressions.unsubscribeUrl(env.s.workspace.id, "x@example.test") ?? "").pathname;
      const [body, mac] = path.slice("/unsubscribe/".length).split(".");
      const forgedBody = Buffer.from(JSON.stringify([env.s.workspace.id, "other@example.test"])).toString("base64url");
      for (const token of [`${forgedBody}.${mac}`, `${body}.${mac}x`, "garbage", `${body}`]) {
        for (const method of ["GET", "POST"]) {
          const res = await fetch(`${env.s.url}/unsubscribe/${token}`, { method });
          expect(res.status).toBe(404);
          const text = await res.text();
          expect(text).not.toContain(env.s.workspace.id);
          expect(text).not.toContain("acme");
        }
      }
      expect((await env.s.get("/api/v1/email-suppressions?limit=100")).data.map((x: { email: string }) => x.email)).not.toContain(
        "other@example.test",
      );
    });
  });
}
