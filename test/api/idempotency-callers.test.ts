/**
 * Idempotency keys belong to their caller, over real HTTP on both stores: another token that
 * sends the same key and body runs the route itself (and gets that route's own answer — a rep
 * gets 404 from POST /tokens, never the admin's new token); the caller who made the request gets
 * the replay; the query string is part of the request; and a secret shown once (a new token, a
 * hook's or subscription's signing secret) is never kept or replayed.
 */
import { describe, expect, it } from "vitest";
import { runningKey } from "../helpers/idempotency.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`idempotency keys per caller on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let n = 0;
    const newKey = () => `key-${kind.name}-${++n}`;
    /** Another token of the suite's workspace. */
    const tokenOf = async (role: string) => (await env.s.services.tokens.create(env.s.workspace.id, `a ${role}`, role)).secret;
    const send = (path: string, json: unknown, key: string, as?: string) =>
      env.s.api(path, { method: "POST", json, headers: { "idempotency-key": key }, ...(as ? { as } : {}) });
    /** What the store keeps for a key of the suite's admin token (a claim of a kept key changes nothing). */
    const kept = async (key: string) => {
      const caller = `token:${(await env.s.services.tokens.authenticate(env.s.token))?.id}`;
      const claim = await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({ workspaceId: env.s.workspace.id, caller, key }),
        new Date(0).toISOString(),
      );
      expect(claim.claimed).toBe(false);
      return claim.claimed ? "" : (claim.existing.response ?? "");
    };

    it("a rep resending an admin's POST /tokens with the same key and body gets 404 and no token", async () => {
      const key = newKey();
      const body = { name: "ci", role: "admin" };
      const first = await send("/api/v1/tokens", body, key);
      expect(first.status).toBe(201);
      const adminToken = ((await first.json()) as Json).token as string;
      expect(adminToken).toMatch(/^hk_/);

      const rep = await tokenOf("rep");
      const replayed = await send("/api/v1/tokens", body, key, rep);
      expect(replayed.status).toBe(404);
      expect(replayed.headers.get("idempotent-replayed")).toBeNull();
      const text = await replayed.text();
      expect(text).not.toContain("hk_");
      expect(text).not.toContain(adminToken);
      // The rep's own retry of its own key gets its own answer again, not the admin's.
      const again = await send("/api/v1/tokens", body, key, rep);
      expect(again.status).toBe(404);
      expect(await again.text()).not.toContain("hk_");
      expect((await env.s.services.tokens.list({ ...adminCall() })).filter((t) => t.name === "ci")).toHaveLength(1);
    });

    it("a rep resending an admin's POST /inbound-hooks gets 404 and no signing secret", async () => {
      const key = newKey();
      const body = { key: `rep-${kind.name}`, name: "Sign-ups", object: "lead", mapping: { email: "/email" } };
      const first = await send("/api/v1/inbound-hooks", body, key);
      expect(first.status).toBe(201);
      const secret = ((await first.json()) as Json).secret as string;
      expect(secret).toMatch(/^whsec_/);
      const replayed = await send("/api/v1/inbound-hooks", body, key, await tokenOf("rep"));
      expect(replayed.status).toBe(404);
      expect(replayed.headers.get("idempotent-replayed")).toBeNull();
      expect(await replayed.text()).not.toContain("whsec_");
    });

    it("another caller of the same role with the same key runs the route itself; the first caller gets the replay", async () => {
      const key = newKey();
      const body = { last_name: "Shared key" };
      const first = await send("/api/v1/contacts", body, key);
      expect(first.status).toBe(201);
      const mine = (await first.json()) as Json;

      const otherAdmin = await tokenOf("admin");
      const theirs = await send("/api/v1/contacts", body, key, otherAdmin);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get("idempotent-replayed")).toBeNull();
      expect(((await theirs.json()) as Json).id).not.toBe(mine.id);
      // Their own retry replays their answer; mine replays mine.
      const theirsAgain = await send("/api/v1/contacts", body, key, otherAdmin);
      expect(theirsAgain.headers.get("idempotent-replayed")).toBe("true");
      const mineAgain = await send("/api/v1/contacts", body, key);
      expect(mineAgain.status).toBe(201);
      expect(mineAgain.headers.get("idempotent-replayed")).toBe("true");
      expect(await mineAgain.json()).toEqual(mine);
      // Another body from another caller is not a mismatch either: nothing tells it the key was used.
      const different = await send("/api/v1/contacts", { last_name: "Other body" }, key, await tokenOf("manager"));
      expect(different.status).toBe(201);
    });

    it("another workspace with the same key runs the route itself", async () => {
      const key = newKey();
      const body = { name: "ci", role: "admin" };
      const first = await send("/api/v1/tokens", body, key);
      const adminToken = ((await first.json()) as Json).token as string;
      const other = await env.s.newWorkspace(`idem-callers-${kind.name}`);
      const theirs = await send("/api/v1/tokens", body, key, other.token);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get("idempotent-replayed")).toBeNull();
      const token = ((await theirs.json()) as Json).token as string;
      expect(token).toMatch(/^hk_/);
      expect(token).not.toBe(adminToken);
    });

    it("the query string is part of the request: same key, same body, another query → 422", async () => {
      const key = newKey();
      const body = { last_name: "Query" };
      const first = await env.s.api("/api/v1/contacts?source=a", { method: "POST", json: body, headers: { "idempotency-key": key } });
      expect(first.status).toBe(201);
      const same = await env.s.api("/api/v1/contacts?source=a", { method: "POST", json: body, headers: { "idempotency-key": key } });
      expect(same.headers.get("idempotent-replayed")).toBe("true");
      for (const path of ["/api/v1/contacts?source=b", "/api/v1/contacts"]) {
        const other = await env.s.api(path, { method: "POST", json: body, headers: { "idempotency-key": key } });
        expect(other.status, path).toBe(422);
        expect(other.headers.get("content-type")).toContain("application/problem+json");
        expect(((await other.json()) as Json).type).toBe("/problems/idempotency-mismatch");
      }
    });

    it("replays a token creation to its caller without the token, which is never kept", async () => {
      const key = newKey();
      const body = { name: "shown once", role: "rep" };
      const first = await send("/api/v1/tokens", body, key);
      expect(first.status).toBe(201);
      const created = (await first.json()) as Json;
      expect(created.token).toMatch(/^hk_/);
      expect(first.headers.get("idempotent-replayed")).toBeNull();

      const replay = await send("/api/v1/tokens", body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(replay.headers.get("idempotent-secret-withheld")).toBe("token");
      const text = await replay.text();
      expect(text).not.toContain(created.token);
      expect(text).not.toContain("hk_");
      const { token: _shown, ...rest } = created;
      expect(JSON.parse(text)).toEqual({
        ...rest,
        secret_withheld: { fields: ["token"], message: expect.stringContaining("shown only once") },
      });
      expect(await kept(key)).not.toContain(created.token);
      // One token was made, and the one shown still works.
      expect((await env.s.api("/api/v1/me", { as: created.token })).status).toBe(200);
      expect((await env.s.services.tokens.list(adminCall())).filter((t) => t.name === "shown once")).toHaveLength(1);
    });

    it("replays an inbound hook's creation and secret rotation without the secret", async () => {
      const key = newKey();
      const body = { key: `once-${kind.name}`, name: "Once", object: "lead", mapping: { email: "/email" } };
      const first = await send("/api/v1/inbound-hooks", body, key);
      expect(first.status).toBe(201);
      const created = (await first.json()) as Json;
      expect(created.secret).toMatch(/^whsec_/);
      const replay = await send("/api/v1/inbound-hooks", body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const replayed = (await replay.json()) as Json;
      expect(replayed.secret).toBeUndefined();
      expect(replayed).toMatchObject({ key: created.key, secret_withheld: { fields: ["secret"] } });
      expect(JSON.stringify(replayed)).not.toContain("whsec_");
      expect(await kept(key)).not.toContain("whsec_");

      const rotateKey = newKey();
      const rotated = await send(`/api/v1/inbound-hooks/${created.key}/rotate-secret`, {}, rotateKey);
      expect(rotated.status).toBe(200);
      const newSecret = ((await rotated.json()) as Json).secret as string;
      expect(newSecret).toMatch(/^whsec_/);
      const rotatedAgain = await send(`/api/v1/inbound-hooks/${created.key}/rotate-secret`, {}, rotateKey);
      expect(rotatedAgain.headers.get("idempotent-replayed")).toBe("true");
      expect(await rotatedAgain.text()).not.toContain("whsec_");
      expect(await kept(rotateKey)).not.toContain(newSecret);
    });

    it("replays a webhook subscription's creation and secret rotation without the secret", async () => {
      const key = newKey();
      const body = { url: "https://hooks.example.com/once", events: ["lead.created"] };
      const first = await send("/api/v1/webhook-subscriptions", body, key);
      expect(first.status).toBe(201);
      const created = (await first.json()) as Json;
      expect(created.secret).toMatch(/^whsec_/);
      const replay = await send("/api/v1/webhook-subscriptions", body, key);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const replayed = (await replay.json()) as Json;
      expect(replayed).toMatchObject({ id: created.id, secret_withheld: { fields: ["secret"] } });
      expect(JSON.stringify(replayed)).not.toContain("whsec_");

      const rotateKey = newKey();
      const rotated = await send(`/api/v1/webhook-subscriptions/${created.id}/rotate-secret`, {}, rotateKey);
      expect(((await rotated.json()) as Json).secret).toMatch(/^whsec_/);
      const rotatedAgain = await send(`/api/v1/webhook-subscriptions/${created.id}/rotate-secret`, {}, rotateKey);
      expect(rotatedAgain.headers.get("idempotent-replayed")).toBe("true");
      expect(await rotatedAgain.text()).not.toContain("whsec_");
      expect(await kept(rotateKey)).not.toContain("whsec_");
    });

    it("refuses to replay to the same caller once its role has changed (a web session's role can)", async () => {
      // Tokens keep their role, so the changed role is planted in the store: as if a person
      // signed in as a manager had sent the first request and was an admin now.
      const key = newKey();
      const caller = `token:${(await env.s.services.tokens.authenticate(env.s.token))?.id}`;
      const scope = { workspaceId: env.s.workspace.id, caller, key };
      await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({ ...scope, callerRole: "manager" }),
        new Date(0).toISOString(),
      );
      await env.s.services.store.idempotency.completeIdempotencyKey(scope, 201, JSON.stringify({ headers: {}, body: "{}" }));
      const res = await send("/api/v1/contacts", { last_name: "Role" }, key);
      expect(res.status).toBe(422);
      expect(res.headers.get("idempotent-replayed")).toBeNull();
      expect(((await res.json()) as Json).detail).toContain("role changed (manager → admin)");
    });

    const adminCall = () => ({
      workspaceId: env.s.workspace.id,
      role: "admin" as const,
      actor: { kind: "person" as const, id: "test" },
      requestId: null,
      causeId: null,
    });
  });
}
