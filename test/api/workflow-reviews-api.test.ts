/**
 * Workflow reviews and overrides over real HTTP on both stores (issue 19, item 5): publishing
 * without a description is a 422 problem naming `description` and publishes nothing; the review
 * on the list, the page and /review; marking reviewed (POST /workflows/{id}/reviews) by the
 * owner; the attacker's cases — a rep who is not the owner (403), another workspace's admin
 * (404), bad bodies and filters (400/422 naming the field and the allowed values) — change nothing.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const definition = (key: string, description?: string) => ({
  key,
  name: `Workflow ${key}`,
  ...(description !== undefined ? { description } : {}),
  object: "lead",
  trigger: { type: "manual" },
  start: "note",
  steps: { note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "noted" } } },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflow reviews over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, {});
    const answer = async (res: Response) => ({
      status: res.status,
      type: res.headers.get("content-type"),
      body: (await res.json()) as Json,
    });
    const person = async (name: string, role: string) => {
      const user = await env.s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@reviews.test`, role });
      const token = await env.s.post("/api/v1/tokens", { name: `${name}'s token`, role, user_id: user.id });
      return { id: user.id as string, token: token.token as string };
    };

    it("publishes only with a description, then shows the review on the list, the page and /review; a rep and another workspace are refused", async () => {
      const ada = await person("Ada", "admin");
      const bob = await person("Bob", "rep");
      const saved = await env.s.json("/api/v1/workflows", {
        method: "POST",
        json: { definition: definition("undescribed") },
        as: ada.token,
      });
      const refused = await answer(await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {}, as: ada.token }));
      expect(refused.status).toBe(422);
      expect(refused.type).toContain("application/problem+json");
      expect(refused.body.errors.map((e: Json) => e.path)).toEqual(["description"]);
      expect((await env.s.get(`/api/v1/workflows/${saved.id}`)).live_version).toBeNull();

      await env.s.json("/api/v1/workflows", {
        method: "POST",
        json: { definition: definition("undescribed", "Reps see leads were touched.") },
        as: ada.token,
      });
      const published = await env.s.json(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {}, as: ada.token });
      expect(published.live_version).toBe(1);

      const listed = (await env.s.get("/api/v1/workflows")).data.find((w: Json) => w.id === saved.id);
      expect(listed.review).toMatchObject({ owner: { id: ada.id, name: "Ada" }, interval_months: 3, overdue: false });
      expect(listed.review.due_in_days).toBeGreaterThanOrEqual(88);
      expect(listed.overrides_30d).toBe(0);
      expect((await env.s.get(`/api/v1/workflows/${saved.id}`)).review.owner.id).toBe(ada.id);
      expect((await env.s.get("/api/v1/workflows?review=overdue")).data).toEqual([]);
      const badFilter = await answer(await env.s.api("/api/v1/workflows?review=late"));
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.errors[0].path).toBe("review");

      // The attacker's cases first: nothing changes.
      const before = await env.s.get(`/api/v1/workflows/${saved.id}/review`);
      const byRep = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/reviews`, { method: "POST", json: { note: "fine" }, as: bob.token }),
      );
      expect(byRep.status).toBe(403);
      const patchByRep = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/review`, { method: "PATCH", json: { owner_id: bob.id }, as: bob.token }),
      );
      expect(patchByRep.status).toBe(403);
      const other = await env.s.newWorkspace("elsewhere");
      for (const [method, path, json] of [
        ["POST", `/api/v1/workflows/${saved.id}/reviews`, { note: "mine" }],
        ["PATCH", `/api/v1/workflows/${saved.id}/review`, { interval_months: 12 }],
        ["GET", `/api/v1/workflows/${saved.id}/review`, undefined],
      ] as const) {
        const res = await answer(await env.s.api(path, { method, ...(json ? { json } : {}), as: other.token }));
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      const badInterval = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/review`, { method: "PATCH", json: { interval_months: 5 } }),
      );
      expect(badInterval.status).toBe(422);
      expect(badInterval.body.errors[0]).toMatchObject({ path: "interval_months" });
      expect(badInterval.body.errors[0].message).toContain("1, 2, 3, 4, 6, 12");
      const badType = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/review`, { method: "PATCH", json: { interval_months: "3" } }),
      );
      expect(badType.status).toBe(400);
      expect(badType.body.errors[0].path).toBe("interval_months");
      const unknownMember = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/review`, { method: "PATCH", json: { next_review_at: "2030-01-01" } }),
      );
      expect(unknownMember.status).toBe(400);
      const badOwner = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/review`, { method: "PATCH", json: { owner_id: "nobody" } }),
      );
      expect(badOwner.status).toBe(422);
      expect(badOwner.body.errors[0].path).toBe("owner_id");
      const blank = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/reviews`, { method: "POST", json: { note: " " }, as: ada.token }),
      );
      expect(blank.status).toBe(422);
      expect(blank.body.errors[0].path).toBe("note");
      expect(await env.s.get(`/api/v1/workflows/${saved.id}/review`)).toEqual(before);

      // The owner marks it reviewed: who, when and the note are kept.
      const reviewed = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/reviews`, { method: "POST", json: { note: "Still needed." }, as: ada.token }),
      );
      expect(reviewed.status).toBe(201);
      expect(reviewed.body.history).toHaveLength(1);
      expect(reviewed.body.history[0]).toMatchObject({ reviewed_by: { name: "Ada" }, note: "Still needed." });
      expect(Date.parse(reviewed.body.review.next_review_at)).toBeGreaterThan(Date.parse(before.review.next_review_at) - 1);

      // An admin hands it to Bob, monthly: now Bob, a rep, may mark it.
      const handed = await env.s.json(`/api/v1/workflows/${saved.id}/review`, {
        method: "PATCH",
        json: { owner_id: bob.id, interval_months: 1 },
      });
      expect(handed.review).toMatchObject({ owner: { id: bob.id, name: "Bob" }, interval_months: 1 });
      const byOwner = await answer(
        await env.s.api(`/api/v1/workflows/${saved.id}/reviews`, { method: "POST", json: { note: "Checked." }, as: bob.token }),
      );
      expect(byOwner.status).toBe(201);
      expect((await env.s.get("/api/v1/workflow-reviews")).data.map((w: Json) => w.key)).toEqual(["undescribed"]);
      expect((await env.s.get("/api/v1/workflow-reviews?overdue=true")).data).toEqual([]);
    });
  });
}
