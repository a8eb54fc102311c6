/**
 * Emails are stored as typed and compared without their case (issue 20, item 2: "emails
 * lower-cased in a match key, never altering what was typed"), over real HTTP on both stores:
 * a contact created with "Ana.Silva@Example.com" keeps that spelling; a second contact typed
 * "ana.silva@example.com" is still suspected as its duplicate (score 1); a list filter in another
 * case finds both; a suppression of the lower-case address marks it bouncing; a user whose email
 * was typed with capitals signs in with it in any case; a workflow condition on the email matches
 * whatever the case.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const PASSWORD = "correct horse battery staple";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`emails as typed on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });

    it("keeps what was typed; duplicates, filters, suppressions, sign-in and conditions ignore the case", async () => {
      const rule = await env.s.api("/api/v1/data-quality/match-rules", {
        method: "POST",
        json: {
          name: "Contacts by email",
          object: "contact",
          compare_with: ["contact"],
          keys: ["email"],
          fields: [{ field: "email", weight: 1, similarity: "exact" }],
          threshold: 0.9,
          action: "alert",
        },
      });
      expect(rule.status).toBe(201);
      const wf = await env.s.publish({
        key: "greet-ana",
        name: "Greet Ana",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        trigger: { type: "record_created" },
        conditions: { field: "email", op: "eq", value: "ana.silva@example.com" },
        start: "tag",
        steps: { tag: { type: "action", action: { type: "change_score", by: 7 } } },
      });

      const ana = await env.s.post("/api/v1/contacts", { first_name: "Ana", last_name: "Silva", email: "  Ana.Silva@Example.com " });
      expect(ana.email).toBe("Ana.Silva@Example.com");
      expect((await env.s.get(`/api/v1/contacts/${ana.id}`)).email).toBe("Ana.Silva@Example.com");
      const history = (await env.s.get(`/api/v1/contacts/${ana.id}/history`)).data as Json[];
      expect(history.at(-1)?.changes).toContainEqual({ field: "email", old: null, new: "Ana.Silva@Example.com" });

      // The enrollment condition, typed in lower case, matches the capitalised address.
      await eventually("the workflow ran on Ana", async () => {
        const runs = (await env.s.get(`/api/v1/runs?record_id=${ana.id}`)).data as Json[];
        return runs.some((r) => r.workflow_id === wf.id && r.status === "completed") ? runs : undefined;
      });
      expect((await env.s.get(`/api/v1/contacts/${ana.id}`)).score).toBe(7);

      const again = await env.s.post("/api/v1/contacts", { first_name: "Ana", last_name: "Silva", email: "ana.silva@example.com" });
      expect(again.email).toBe("ana.silva@example.com");
      const items = await env.s.services.store.reviewQueue.listReviewItems({
        workspaceId: env.s.workspace.id,
        kind: "duplicate",
        limit: 10,
      });
      expect(items.map((i) => [i.recordId, i.otherRecordId, (i.detail as Json).score])).toEqual([[again.id, ana.id, 1]]);

      const found = await env.s.get(`/api/v1/contacts?where=${encodeURIComponent("email:eq:ANA.SILVA@example.COM")}`);
      expect(found.data.map((r: Json) => r.id).sort()).toEqual([ana.id, again.id].sort());
      const notThem = await env.s.get(`/api/v1/contacts?where=${encodeURIComponent("email:neq:ana.silva@EXAMPLE.com")}`);
      expect(notThem.data.map((r: Json) => r.id)).not.toContain(ana.id);

      await env.s.post("/api/v1/email-suppressions", { email: "ana.silva@example.com", reason: "bounce", detail: "550 no such user" });
      expect((await env.s.get(`/api/v1/contacts/${ana.id}`)).email_status).toBe("bouncing");
      expect((await env.s.get(`/api/v1/contacts/${again.id}`)).email_status).toBe("bouncing");
      expect((await env.s.get("/api/v1/email-suppressions?limit=10")).data.map((s: Json) => s.email)).toEqual(["ana.silva@example.com"]);

      // A user's email is a record field like any other: kept as typed, signed in with in any case.
      const olga = await env.s.post("/api/v1/users", { name: "Olga Owner", email: "Olga.Owner@Acme.test", role: "rep" });
      expect(olga.email).toBe("Olga.Owner@Acme.test");
      expect((await env.s.api(`/api/v1/users/${olga.id}/password`, { method: "PUT", json: { password: PASSWORD } })).status).toBe(200);
      const signIn = await fetch(`${env.s.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "olga.owner@acme.test", password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as Json).user).toMatchObject({ id: olga.id, email: "Olga.Owner@Acme.test" });
    });
  });
}
