/**
 * The data review queue over real HTTP on both stores (issue 20, item 5): a person puts a record
 * in the queue (once while it is open), takes it, resolves it with a note; an admin assigns and
 * dismisses; the list filters by status, kind, assignee and record and pages with a cursor. The
 * attacker's cases — another workspace (404), a rep taking someone else's item or closing it
 * (403), bad filters and bodies (422 naming the field and the allowed values), closing twice
 * (409) — change nothing.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the data review queue over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, {});
    const answer = async (res: Response) => ({
      status: res.status,
      type: res.headers.get("content-type"),
      body: (await res.json()) as Json,
    });
    const person = async (name: string, role: string) => {
      const user = await env.s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@queue.test`, role });
      const token = await env.s.post("/api/v1/tokens", { name: `${name}'s token`, role, user_id: user.id });
      return { id: user.id as string, token: token.token as string };
    };

    it("queues a record once, lets a rep take and resolve it, an admin assign and dismiss; refuses what is not theirs", async () => {
      const ann = await person("Ann", "rep");
      const bob = await person("Bob", "rep");
      const lead = await env.s.post("/api/v1/leads", { first_name: "Lia", last_name: "Quinn", email: "lia@example.com" });
      const other = await env.s.post("/api/v1/leads", { first_name: "Max", last_name: "Ode", email: "max@example.com" });

      const added = await answer(
        await env.s.api("/api/v1/review-queue", {
          method: "POST",
          json: { record_id: lead.id, reason: "Company looks wrong" },
          as: ann.token,
        }),
      );
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        kind: "manual",
        status: "open",
        object: "lead",
        record: { id: lead.id, name: "Lia Quinn", exists: true },
        reason: "Company looks wrong",
        assignee: null,
        created_by: `person:${ann.id}`,
      });
      const again = await env.s.json("/api/v1/review-queue", {
        method: "POST",
        json: { record_id: lead.id, reason: "Company looks wrong" },
      });
      expect(again.id).toBe(added.body.id);

      // The attacker's cases: nothing changes.
      const before = await env.s.get(`/api/v1/review-queue/${added.body.id}`);
      const elsewhere = await env.s.newWorkspace("elsewhere");
      for (const [method, path, json] of [
        ["GET", `/api/v1/review-queue/${added.body.id}`, undefined],
        ["PATCH", `/api/v1/review-queue/${added.body.id}`, { assignee_id: null }],
        ["POST", `/api/v1/review-queue/${added.body.id}/dismiss`, {}],
        ["POST", "/api/v1/review-queue", { record_id: lead.id, reason: "mine now" }],
      ] as const) {
        const res = await answer(await env.s.api(path, { method, ...(json ? { json } : {}), as: elsewhere.token }));
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect((await env.s.json("/api/v1/review-queue", { as: elsewhere.token })).data).toEqual([]);
      const giveToBob = await answer(
        await env.s.api(`/api/v1/review-queue/${added.body.id}`, { method: "PATCH", json: { assignee_id: bob.id }, as: ann.token }),
      );
      expect(giveToBob.status).toBe(403);
      const badAssignee = await answer(
        await env.s.api(`/api/v1/review-queue/${added.body.id}`, { method: "PATCH", json: { assignee_id: lead.id } }),
      );
      expect(badAssignee.status).toBe(422);
      expect(badAssignee.body.errors[0].path).toBe("assignee_id");
      const badStatus = await answer(await env.s.api("/api/v1/review-queue?status=closed"));
      expect(badStatus.status).toBeGreaterThanOrEqual(400);
      expect(badStatus.status).toBeLessThan(500);
      expect(badStatus.body.errors[0].path).toBe("status");
      const badCursor = await answer(await env.s.api("/api/v1/review-queue?cursor=nonsense"));
      expect(badCursor.status).toBe(422);
      const badReason = await answer(
        await env.s.api("/api/v1/review-queue", { method: "POST", json: { record_id: lead.id, reason: " " } }),
      );
      expect(badReason.status).toBe(422);
      expect(badReason.body.errors[0].path).toBe("reason");
      const nul = await answer(
        await env.s.api("/api/v1/review-queue", { method: "POST", json: { record_id: lead.id, reason: "a\u0000b" } }),
      );
      expect(nul.status).toBeGreaterThanOrEqual(400);
      expect(nul.status).toBeLessThan(500);
      expect(await env.s.get(`/api/v1/review-queue/${added.body.id}`)).toEqual(before);

      // Ann takes it; then Bob may not close it; Ann resolves it with a note; twice is a 409.
      const taken = await env.s.json(`/api/v1/review-queue/${added.body.id}`, {
        method: "PATCH",
        json: { assignee_id: ann.id },
        as: ann.token,
      });
      expect(taken.assignee).toEqual({ id: ann.id, name: "Ann" });
      expect((await env.s.json("/api/v1/review-queue?assignee=me", { as: ann.token })).data.map((i: Json) => i.id)).toEqual([
        added.body.id,
      ]);
      const byBob = await answer(
        await env.s.api(`/api/v1/review-queue/${added.body.id}/resolve`, { method: "POST", json: {}, as: bob.token }),
      );
      expect(byBob.status).toBe(403);
      expect(byBob.body.detail).toContain("Ann");
      const resolved = await env.s.json(`/api/v1/review-queue/${added.body.id}/resolve`, {
        method: "POST",
        json: { note: "Fixed the company" },
        as: ann.token,
      });
      expect(resolved).toMatchObject({
        status: "resolved",
        resolution: "fixed",
        note: "Fixed the company",
        resolved_by: `person:${ann.id}`,
      });
      const twice = await answer(
        await env.s.api(`/api/v1/review-queue/${added.body.id}/resolve`, { method: "POST", json: {}, as: ann.token }),
      );
      expect(twice.status).toBe(409);

      // An admin assigns another item to Bob and dismisses it; the list filters and pages.
      const second = await env.s.post("/api/v1/review-queue", { record_id: other.id, reason: "Looks like a test lead" });
      const third = await env.s.post("/api/v1/review-queue", { record_id: lead.id, reason: "Title missing" });
      const assigned = await env.s.json(`/api/v1/review-queue/${second.id}`, { method: "PATCH", json: { assignee_id: bob.id } });
      expect(assigned.assignee.name).toBe("Bob");
      const dismissed = await env.s.json(`/api/v1/review-queue/${second.id}/dismiss`, { method: "POST", json: {} });
      expect(dismissed).toMatchObject({ status: "dismissed", resolution: "dismissed" });
      const open = await env.s.get("/api/v1/review-queue?status=open");
      expect(open.data.map((i: Json) => i.id)).toEqual([third.id]);
      expect(open.open_counts).toEqual({ manual: 1 });
      const aboutLead = await env.s.get(`/api/v1/review-queue?record_id=${lead.id}`);
      expect(aboutLead.data.map((i: Json) => i.id)).toEqual([third.id, added.body.id]);
      const page1 = await env.s.get("/api/v1/review-queue?limit=2");
      expect(page1.data).toHaveLength(2);
      const page2 = await env.s.get(`/api/v1/review-queue?limit=2&cursor=${page1.next_cursor}`);
      expect([...page1.data, ...page2.data].map((i: Json) => i.id)).toEqual([third.id, second.id, added.body.id]);
      expect(page2.next_cursor).toBeNull();
    });
  });
}
