/**
 * What the run inspector reads and does, over real HTTP on both stores: a run whose HTTP action
 * really fails (a local receiver answers 500 until the outbox gives up) carries its outbox items
 * as they stand (`deliveries`: status, attempts, last error, last status) next to each step's
 * attempts; retry, cancel and skip-wait are refused to a rep (404, as for anything a caller may
 * not touch), to another workspace (404), to a cookie without its CSRF token (403) and to a run
 * whose state does not allow them (409); a manager's retry with a session and CSRF token
 * resumes the run at its failed step, which then succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDetailSchema } from "../../src/api/routes/run-schemas.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

type Json = Record<string, any>;
const PASSWORD = "correct horse battery staple";

const definition = {
  key: "push-leads",
  name: "Push leads",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "push",
  steps: {
    push: {
      type: "action",
      action: { type: "http_request", connector: "crm", method: "POST", path: "/push", body: { id: "{{ record.id }}" } },
      next: "pause",
    },
    pause: { type: "delay", duration: { hours: 1 }, next: "done" },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the run inspector's API (${kind.name})`, () => {
    let rx: Receiver;
    let fails = true;
    beforeAll(async () => {
      rx = await startReceiver();
      rx.script("/push", () => (fails ? { status: 500, body: { error: "down for maintenance" } } : { status: 200, body: {} }));
    });
    afterAll(async () => rx?.close());
    const env = useTestServer(kind, () => [
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${rx.port}`],
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 2, breakerThreshold: 50 } },
      },
    ]);

    const call = async (path: string, init: { method?: string; as?: string; headers?: Record<string, string> } = {}) => {
      const res = await env.s.api(path, init);
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Json };
    };
    /** A signed-in person's cookie and CSRF token. */
    const session = async (email: string, role: string) => {
      const user = await env.s.post("/api/v1/users", { name: email, email, role });
      const set = await env.s.api(`/api/v1/users/${user.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      expect(set.status).toBe(200);
      const res = await fetch(`${env.s.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
      return { cookie, csrf: ((await res.json()) as Json).csrf_token as string };
    };
    const withCookie = (path: string, cookie: string, headers: Record<string, string> = {}) =>
      fetch(`${env.s.url}${path}`, { method: "POST", headers: { cookie, ...headers } });
    const run = async (id: string) => (await call(`/api/v1/runs/${id}`)).body;
    const until = (id: string, status: string, step?: string) =>
      eventually(
        `run ${id} ${status}${step ? ` at ${step}` : ""}`,
        async () => {
          const r = await run(id);
          return r.status === status && (step === undefined || r.step === step) ? r : undefined;
        },
        20_000,
      );

    it("a failed run shows its outbox item as it stands; only an admin or manager with the CSRF token may retry it, and it then succeeds", async () => {
      await env.s.post("/api/v1/connectors", { key: "crm", kind: "http", config: { base_url: rx.url } });
      await env.s.publish(definition);
      const lead = await env.s.post("/api/v1/leads", { first_name: "Ada", last_name: "Byron", email: "ada@byron.example" });
      const first = await eventually("the lead's run", async () => (await env.s.get(`/api/v1/runs?record_id=${lead.id}`)).data[0]);
      const failed = await until(first.id, "failed");

      expect(failed.step).toBe("push");
      // The answer is what the OpenAPI document says it is (the web app's types come from there).
      runDetailSchema.parse(failed);
      expect(failed.deliveries).toHaveLength(1);
      const [dead] = failed.deliveries;
      expect(dead).toMatchObject({ kind: "http", connector: "crm", status: "dead", attempts: 2, last_status: 500, next_attempt_at: null });
      expect(dead.last_error).toMatch(/500/);
      expect(dead).not.toHaveProperty("payload");
      const enqueuedStep = failed.steps.find((s: Json) => s.step === "push" && s.outcome === "enqueued");
      expect(enqueuedStep.attempts.map((a: Json) => [a.outbox_id, a.attempt, a.outcome, a.status])).toEqual([
        [dead.id, 1, "retry", 500],
        [dead.id, 2, "dead", 500],
      ]);
      expect(rx.to("/push")).toHaveLength(2);

      // Refused: a rep (token and session), another workspace, a cookie without its CSRF token, a state that does not allow it.
      const rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      expect((await call(`/api/v1/runs/${first.id}/retry`, { method: "POST", as: rep })).status).toBe(404);
      expect((await call(`/api/v1/runs/${first.id}`, { as: rep })).status).toBe(200);
      const repSession = await session("rita@acme.test", "rep");
      const byRep = await withCookie(`/api/v1/runs/${first.id}/retry`, repSession.cookie, { "x-csrf-token": repSession.csrf });
      expect(byRep.status).toBe(404);
      const other = await env.s.newWorkspace("elsewhere");
      expect((await call(`/api/v1/runs/${first.id}/retry`, { method: "POST", as: other.token })).status).toBe(404);
      expect((await call(`/api/v1/runs/${first.id}`, { as: other.token })).status).toBe(404);
      const manager = await session("max@acme.test", "manager");
      const noCsrf = await withCookie(`/api/v1/runs/${first.id}/retry`, manager.cookie);
      expect(noCsrf.status).toBe(403);
      const skip = await withCookie(`/api/v1/runs/${first.id}/skip-wait`, manager.cookie, { "x-csrf-token": manager.csrf });
      expect(skip.status).toBe(409);
      const cancel = await withCookie(`/api/v1/runs/${first.id}/cancel`, manager.cookie, { "x-csrf-token": manager.csrf });
      expect(cancel.status).toBe(409);
      expect((await run(first.id)).status).toBe("failed");
      expect(rx.to("/push")).toHaveLength(2);

      // The receiver is back; the manager retries from the failed step, which succeeds this time.
      fails = false;
      const retried = await withCookie(`/api/v1/runs/${first.id}/retry`, manager.cookie, { "x-csrf-token": manager.csrf });
      expect(retried.status).toBe(202);
      // The outcome and the run's next step commit together: the item reads delivered at once.
      const settled = await until(first.id, "waiting", "pause");
      expect(settled.deliveries.map((d: Json) => [d.status, d.attempts]).sort()).toEqual([
        ["dead", 2],
        ["delivered", 1],
      ]);
      expect(rx.to("/push")).toHaveLength(3);
      runDetailSchema.parse(settled);
      expect((await call(`/api/v1/runs/${first.id}/retry`, { method: "POST" })).status).toBe(409);

      // The hour's wait, skipped by the admin: the run completes.
      expect((await call(`/api/v1/runs/${first.id}/skip-wait`, { method: "POST", as: rep })).status).toBe(404);
      expect((await call(`/api/v1/runs/${first.id}/skip-wait`, { method: "POST" })).status).toBe(202);
      const done = await until(first.id, "completed");
      expect(done.steps.map((s: Json) => s.step)).toContain("done");
    });
  });
}
