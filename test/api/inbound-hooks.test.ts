/**
 * Inbound hooks over real HTTP on both stores: a correctly signed delivery becomes a record, an
 * external.received event and a run of the workflow whose trigger names the hook; everything
 * forged, stale, replayed, tampered, unsigned, too fast or too large is refused, and nothing of
 * it is written.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { signedHeaders } from "../helpers/hooks.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const LIMIT = 4096;

const person = (email: string, extra: Json = {}) =>
  JSON.stringify({ person: { first: "Grace", last: "Hopper", email }, company: { size: 250 }, ...extra });

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`inbound hooks over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, { bodyLimitBytes: LIMIT }, { worker: true });
    let secret: string;
    let workflowId: string;
    const deliver = (body: string, headers: Record<string, string>, key = "signup") =>
      fetch(`${env.s.url}/hooks/${key}`, { method: "POST", body, headers });
    const leadsWith = async (email: string) =>
      (await env.s.get(`/api/v1/leads?where=email:eq:${encodeURIComponent(email)}`)).data as Json[];
    const runsOf = async (recordId: string) =>
      ((await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data as Json[]).filter((r) => r.workflow_id === workflowId);

    beforeAll(async () => {
      const hook = await env.s.post("/api/v1/inbound-hooks", {
        key: "signup",
        name: "Product sign-ups",
        object: "lead",
        mapping: { first_name: "/person/first", last_name: "/person/last", email: "/person/email", employee_count: "/company/size" },
        defaults: { source: "product_signup" },
        match_on: "email",
        rate_per_min: 1000,
      });
      secret = hook.secret;
      expect(secret).toMatch(/^whsec_/);
      workflowId = (
        await env.s.publish({
          key: "greet-signups",
          name: "Greet sign-ups",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "lead",
          trigger: { type: "external", key: "signup" },
          start: "work",
          steps: {
            work: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "done" },
            done: { type: "end" },
          },
        })
      ).id;
    });

    it("the admin API never shows the secret again", async () => {
      const hook = await env.s.get("/api/v1/inbound-hooks/signup");
      expect(hook).toMatchObject({ key: "signup", url: "/hooks/signup", object: "lead", match_on: "email" });
      expect(JSON.stringify(hook)).not.toContain(secret);
      expect(JSON.stringify(await env.s.get("/api/v1/inbound-hooks"))).not.toContain("whsec_");
    });

    it("a signed delivery becomes a lead, an external.received event and a run of the external-trigger workflow", async () => {
      const body = person("grace@navy.test");
      const { id, headers } = signedHeaders(secret, body);
      const res = await deliver(body, headers);
      expect(res.status).toBe(200);
      const result = (await res.json()) as Json;
      expect(result).toMatchObject({ delivery_id: id, action: "created", replayed: false });

      const lead = await env.s.get(`/api/v1/leads/${result.record_id}`);
      expect(lead).toMatchObject({
        first_name: "Grace",
        last_name: "Hopper",
        email: "grace@navy.test",
        employee_count: 250,
        source: "product_signup",
      });
      const events = (await env.s.get("/api/v1/events?limit=1000")).data as Json[];
      const external = events.find((e) => e.id === result.event_id);
      expect(external).toMatchObject({
        type: "external.received",
        source: "signup",
        record_id: result.record_id,
        actor: { kind: "integration", id: "hook:signup" },
      });

      const run = await eventually("the run to complete", async () =>
        (await runsOf(result.record_id)).find((r) => r.status === "completed"),
      );
      expect(run.trigger).toBe(result.event_id);
      expect((await env.s.get(`/api/v1/leads/${result.record_id}`)).status).toBe("working");
    });

    it("a replayed webhook-id answers the first result again: one record, one run", async () => {
      const body = person("ada@engine.test");
      const first = signedHeaders(secret, body);
      const a = (await (await deliver(body, first.headers)).json()) as Json;
      // The same id, signed again a moment later, as a sender's retry would be.
      const again = signedHeaders(secret, body, { id: first.id });
      const res = await deliver(body, again.headers);
      expect(res.status).toBe(200);
      const b = (await res.json()) as Json;
      expect(b).toMatchObject({ delivery_id: first.id, record_id: a.record_id, event_id: a.event_id, replayed: true });
      expect(await leadsWith("ada@engine.test")).toHaveLength(1);
      await eventually("the run", async () => (await runsOf(a.record_id)).find((r) => r.status === "completed"));
      // Give the worker time to (wrongly) start a second run before counting.
      await new Promise((r) => setTimeout(r, 300));
      expect(await runsOf(a.record_id)).toHaveLength(1);
    });

    it("a new delivery with the same email, in any case, updates the matched lead instead of creating another", async () => {
      const body1 = person("Linus@Kernel.test");
      const a = (await (await deliver(body1, signedHeaders(secret, body1).headers)).json()) as Json;
      const body2 = JSON.stringify({ person: { first: "Linus", last: "Torvalds", email: "linus@kernel.test" } });
      const res = await deliver(body2, signedHeaders(secret, body2).headers);
      const b = (await res.json()) as Json;
      expect(b).toMatchObject({ action: "updated", record_id: a.record_id, replayed: false });
      expect(await leadsWith("linus@kernel.test")).toHaveLength(1);
      expect((await env.s.get(`/api/v1/leads/${a.record_id}`)).first_name).toBe("Linus");
      expect((await env.s.get(`/api/v1/leads/${a.record_id}`)).email).toBe("linus@kernel.test");
    });

    it("refuses a signature made with another secret, without echoing any secret", async () => {
      const body = person("forged@x.test");
      const wrong = `whsec_${randomBytes(24).toString("base64")}`;
      const res = await deliver(body, signedHeaders(wrong, body).headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const text = await res.text();
      expect(JSON.parse(text).detail).toContain("no matching signature");
      expect(text).not.toContain(secret.slice(6, 20));
      expect(text).not.toContain(wrong.slice(6, 20));
      expect(await leadsWith("forged@x.test")).toHaveLength(0);
    });

    it("refuses timestamps more than 300 s old or ahead", async () => {
      const body = person("stale@x.test");
      // 330 s, not 301: the timestamp is whole seconds and the request takes its time on a loaded
      // machine — "301 s ahead" when signed can be less than 300 s ahead when it is checked.
      const old = await deliver(body, signedHeaders(secret, body, { at: new Date(Date.now() - 330_000) }).headers);
      expect(old.status).toBe(401);
      expect(((await old.json()) as Json).detail).toContain("too old");
      const ahead = await deliver(body, signedHeaders(secret, body, { at: new Date(Date.now() + 330_000) }).headers);
      expect(ahead.status).toBe(401);
      expect(((await ahead.json()) as Json).detail).toContain("too new");
      expect(await leadsWith("stale@x.test")).toHaveLength(0);
    });

    it("refuses a body changed after signing", async () => {
      const body = person("tamper@x.test");
      const { headers } = signedHeaders(secret, body);
      const res = await deliver(body.replace("Grace", "Mallory"), headers);
      expect(res.status).toBe(401);
      expect(await leadsWith("tamper@x.test")).toHaveLength(0);
    });

    it("refuses an unsigned delivery, naming the missing headers", async () => {
      const body = person("unsigned@x.test");
      const res = await deliver(body, { "content-type": "application/json" });
      expect(res.status).toBe(401);
      expect(((await res.json()) as Json).detail).toContain("webhook-id, webhook-timestamp, webhook-signature");
      const { headers } = signedHeaders(secret, body);
      const { "webhook-signature": _omitted, ...partial } = headers;
      const res2 = await deliver(body, partial);
      expect(res2.status).toBe(401);
      expect(((await res2.json()) as Json).detail).toContain("missing webhook-signature");
      expect(await leadsWith("unsigned@x.test")).toHaveLength(0);
    });

    it("after a rotation the previous secret still works, a third one does not", async () => {
      const rotated = await env.s.post("/api/v1/inbound-hooks/signup/rotate-secret", {});
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(secret);
      const validUntil = Date.parse(rotated.previous_secret_valid_until);
      expect(validUntil - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
      expect(validUntil - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

      const b1 = person("new-secret@x.test");
      expect((await deliver(b1, signedHeaders(rotated.secret, b1).headers)).status).toBe(200);
      const b2 = person("old-secret@x.test");
      expect((await deliver(b2, signedHeaders(secret, b2).headers)).status).toBe(200);
      const b3 = person("third@x.test");
      const third = `whsec_${randomBytes(24).toString("base64")}`;
      expect((await deliver(b3, signedHeaders(third, b3).headers)).status).toBe(401);
      expect(await leadsWith("third@x.test")).toHaveLength(0);
      secret = rotated.secret;
    });

    it("invalid mapped fields → 422 naming the body path; nothing written", async () => {
      const body = JSON.stringify({ person: { last: "Bad", email: "not-an-email" } });
      const res = await deliver(body, signedHeaders(secret, body).headers);
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Json;
      expect(problem.errors.map((e: Json) => e.path)).toEqual(["person.email"]);
      expect(problem.errors[0].message).toContain("email");
      expect((await env.s.get("/api/v1/leads?where=last_name:eq:Bad")).data).toHaveLength(0);
      const notJson = "{ nope";
      const res2 = await deliver(notJson, signedHeaders(secret, notJson).headers);
      expect(res2.status).toBe(400);
    });

    it("unknown hook → 404", async () => {
      const body = person("nobody@x.test");
      const res = await deliver(body, signedHeaders(secret, body).headers, "no-such-hook");
      expect(res.status).toBe(404);
    });

    it("over the hook's rate → 429 with Retry-After", async () => {
      const slow = await env.s.post("/api/v1/inbound-hooks", { key: "slow", name: "Slow", object: "lead", rate_per_min: 2 });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i++) {
        const body = JSON.stringify({ last_name: `Slow ${i}` });
        const res = await deliver(body, signedHeaders(slow.secret, body).headers, "slow");
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("retry-after");
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await env.s.get("/api/v1/leads?where=last_name:eq:Slow%202")).data).toHaveLength(0);
    });

    it("a body over the limit → 413 before it is read; nothing written", async () => {
      const body = person("big@x.test", { padding: "x".repeat(LIMIT) });
      const res = await deliver(body, signedHeaders(secret, body).headers);
      expect(res.status).toBe(413);
      expect(await leadsWith("big@x.test")).toHaveLength(0);
    });

    it("hook keys are checked and shared with forms; other workspaces cannot see a hook", async () => {
      const bad = await env.s.api("/api/v1/inbound-hooks", { method: "POST", json: { key: "Bad Key", name: "x", object: "lead" } });
      expect(bad.status).toBe(422);
      const taken = await env.s.api("/api/v1/inbound-hooks", { method: "POST", json: { key: "signup", name: "x", object: "lead" } });
      expect(taken.status).toBe(409);
      const badField = await env.s.api("/api/v1/inbound-hooks", {
        method: "POST",
        json: { key: "bad-field", name: "x", object: "lead", mapping: { nope: "/a" } },
      });
      expect(badField.status).toBe(422);
      expect(((await badField.json()) as Json).errors[0].path).toBe("mapping.nope");
      const other = await env.s.newWorkspace("other");
      expect((await env.s.api("/api/v1/inbound-hooks/signup", { as: other.token })).status).toBe(404);
      const rep = await env.s.newWorkspace("reps", "rep");
      expect((await env.s.api("/api/v1/inbound-hooks", { as: rep.token })).status).toBe(404);
    });
  });
}
