/**
 * GET /metrics over real HTTP on both stores (issue 22, item 4, "Done when"): scraped with a real
 * Prometheus text parser, it carries the named series with the values the store holds at each
 * scrape — the matcher's lag before the worker reads a new lead's event, runs by workflow and
 * status (a waiting run, a run that failed because its HTTP action really failed), the outbox's
 * pending item and then its dead letter, a work item overdue by two minutes — and prom-client's
 * process metrics. The attacker's side: no token, another token, a workspace's admin API token
 * and a rep's session are refused (401), and without HANDOFF_METRICS_TOKEN the endpoint is off (404);
 * a store that does not answer fails the scrape (503) and the next one answers again.
 */
import { randomBytes } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from "parse-prometheus-text-format";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiEnv } from "../../src/api/env.js";
import { isMetricsToken, metricsRoutes } from "../../src/api/routes/metrics.js";
import { OperationalMetrics } from "../../src/app/operations/operational-metrics.js";
import type { OperationalFigures } from "../../src/store/operations-ports.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

type Json = Record<string, any>;
const TOKEN = `metrics-${randomBytes(16).toString("hex")}`;
const PASSWORD = "correct horse battery staple";

const push = {
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
    },
  },
};

const welcome = {
  key: "welcome",
  name: "Welcome",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "task",
  steps: {
    task: { type: "action", action: { type: "create_task", subject: "Say hello" }, next: "pause" },
    pause: { type: "delay", duration: { hours: 1 }, next: "done" },
    done: { type: "end" },
  },
};

/** The families of one scrape by name. */
async function scrape(url: string, token = TOKEN): Promise<Map<string, PrometheusFamily>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const families = parsePrometheusTextFormat(await res.text());
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of the series of `name` with exactly these labels; undefined when it is absent. */
function value(families: Map<string, PrometheusFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name);
  if (!family) throw new Error(`no ${name} in the scrape`);
  const want = JSON.stringify(Object.entries(labels).sort());
  const sample = family.metrics.find((m) => JSON.stringify(Object.entries(m.labels ?? {}).sort()) === want) as PrometheusSample | undefined;
  return sample === undefined ? undefined : Number(sample.value);
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`GET /metrics on ${kind.name}`, () => {
    let rx: Receiver;
    beforeAll(async () => {
      rx = await startReceiver();
      rx.script("/push", () => ({ status: 500, body: { error: "down for maintenance" } }));
    });
    afterAll(async () => rx?.close());
    // The worker and the dispatcher are driven by hand, so that each scrape sees a known moment.
    const env = useTestServer(kind, () => [
      { metricsToken: TOKEN },
      {
        egressAllow: [`127.0.0.1:${rx.port}`],
        dispatcher: { policy: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 2, breakerThreshold: 50 } },
      },
    ]);

    it("carries runs by workflow and status, outbox depth and dead letters, matcher and work lag, as the store holds them at each scrape", async () => {
      const { s } = env;
      await s.post("/api/v1/connectors", { key: "crm", kind: "http", config: { base_url: rx.url } });
      await s.publish(push);
      await s.publish(welcome);
      const lead = await s.post("/api/v1/leads", { first_name: "Ada", last_name: "Byron", email: "ada@byron.example" });

      // Before the worker runs: the lead's event is unread.
      let m = await scrape(s.url);
      expect(m.get("handoff_matcher_lag_events")?.type).toBe("GAUGE");
      expect(value(m, "handoff_matcher_lag_events")).toBe(1);
      const lagSeconds = value(m, "handoff_matcher_lag_seconds") as number;
      expect(lagSeconds).toBeGreaterThanOrEqual(0);
      expect(lagSeconds).toBeLessThan(60);
      expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "push-leads", status: "waiting" })).toBeUndefined();
      // prom-client's process metrics are on the same registry.
      expect(value(m, "process_cpu_seconds_total")).toBeGreaterThan(0);
      expect(m.has("nodejs_eventloop_lag_seconds")).toBe(true);

      // The worker matches the event: both runs start; the push waits for its delivery, welcome for its delay.
      await s.services.worker.drain();
      m = await scrape(s.url);
      expect(value(m, "handoff_matcher_lag_events")).toBe(0);
      expect(value(m, "handoff_matcher_lag_seconds")).toBe(0);
      for (const status of ["running", "waiting", "completed", "exited", "failed", "cancelled"]) {
        expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "push-leads", status })).toBe(status === "waiting" ? 1 : 0);
        expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "welcome", status })).toBe(status === "waiting" ? 1 : 0);
      }
      expect(value(m, "handoff_outbox_pending_items", { workspace: "acme", kind: "http" })).toBe(1);
      expect(value(m, "handoff_outbox_oldest_due_age_seconds")).toBeGreaterThanOrEqual(0);
      expect(m.get("handoff_outbox_dead_letters")?.metrics).toEqual([]);
      // The welcome run's timer is an hour away: nothing is due.
      expect(value(m, "handoff_work_due_items", { queue: "work_items" })).toBe(0);
      expect(value(m, "handoff_work_oldest_due_age_seconds", { queue: "work_items" })).toBe(0);
      expect(value(m, "handoff_work_due_items", { queue: "scheduled_triggers" })).toBe(0);

      // The receiver answers 500 twice: the item is a dead letter and the push run fails.
      await eventually(
        "the push run failed",
        async () => {
          await s.services.dispatcher.drain();
          await s.services.worker.drain();
          const all = (await s.get(`/api/v1/runs?record_id=${lead.id}&status=failed`)).data as Json[];
          return all.length === 1 ? all : undefined;
        },
        20_000,
        50,
      );
      m = await scrape(s.url);
      expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "push-leads", status: "failed" })).toBe(1);
      expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "push-leads", status: "waiting" })).toBe(0);
      expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "welcome", status: "waiting" })).toBe(1);
      expect(value(m, "handoff_outbox_dead_letters", { workspace: "acme", kind: "http" })).toBe(1);
      // Seen pending at the earlier scrape, none now: the series reads 0 instead of vanishing.
      expect(value(m, "handoff_outbox_pending_items", { workspace: "acme", kind: "http" })).toBe(0);
      expect(value(m, "handoff_outbox_oldest_due_age_seconds")).toBe(0);

      // A work item due two minutes ago that no worker has claimed: the work lag.
      const waiting = ((await s.get(`/api/v1/runs?record_id=${lead.id}&status=waiting`)).data as Json[])[0] as Json;
      const dueAt = new Date(Date.now() - 120_000).toISOString();
      await s.services.store.transaction((tx) =>
        tx.work.insertWorkItems([{ workspaceId: s.workspace.id, runId: waiting.id, input: { kind: "continue" }, timerId: null, dueAt }]),
      );
      m = await scrape(s.url);
      expect(value(m, "handoff_work_due_items", { queue: "work_items" })).toBe(1);
      const age = value(m, "handoff_work_oldest_due_age_seconds", { queue: "work_items" }) as number;
      expect(age).toBeGreaterThanOrEqual(119);
      expect(age).toBeLessThan(180);
      expect(value(m, "handoff_metrics_read_seconds")).toBeGreaterThan(0);
    });

    it("labels name only workspace slugs, workflow keys, statuses, kinds and queues", async () => {
      const m = await scrape(env.s.url);
      const allowed = new Set(["workspace", "workflow", "status", "kind", "queue"]);
      for (const [name, family] of m) {
        if (!name.startsWith("handoff_")) continue;
        expect(family.help.length).toBeGreaterThan(0);
        for (const sample of family.metrics) for (const label of Object.keys(sample.labels ?? {})) expect(allowed).toContain(label);
      }
      const workflows = new Set(m.get("handoff_workflow_runs")?.metrics.map((s) => s.labels?.workflow));
      expect([...workflows].sort()).toEqual(["push-leads", "welcome"]);
    });

    it("refuses a request without the token, with another one, with a workspace admin's API token and with a rep's session (401)", async () => {
      const { s } = env;
      const noToken = await fetch(`${s.url}/metrics`);
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get("content-type")).toBe("application/problem+json");
      expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await noToken.json()) as Json).detail).toMatch(/HANDOFF_METRICS_TOKEN/);

      for (const wrong of [`${TOKEN.slice(0, -1)}x`, TOKEN.slice(0, 10), `${TOKEN}x`, s.token]) {
        const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${wrong}` } });
        expect(res.status, wrong).toBe(401);
        const body = (await res.json()) as Json;
        expect(body).toMatchObject({ status: 401, title: "Unauthorized" });
        expect(JSON.stringify(body)).not.toContain("handoff_");
      }

      const rep = await s.post("/api/v1/users", { name: "Rep", email: "rep@metrics.example", role: "rep" });
      expect((await s.api(`/api/v1/users/${rep.id}/password`, { method: "PUT", json: { password: PASSWORD } })).status).toBe(200);
      const signIn = await fetch(`${s.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "rep@metrics.example", password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
      const bySession = await fetch(`${s.url}/metrics`, { headers: { cookie } });
      expect(bySession.status).toBe(401);
      const text = await bySession.text();
      expect(text).not.toContain("handoff_workflow_runs");
    });
  });

  describe.skipIf(kind.skip)(`GET /metrics without HANDOFF_METRICS_TOKEN on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("is off: 404 with a problem saying how to turn it on, whatever is sent", async () => {
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: `Bearer ${TOKEN}` },
        { authorization: `Bearer ${env.s.token}` },
      ];
      for (const headers of attempts) {
        const res = await fetch(`${env.s.url}/metrics`, { headers });
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(((await res.json()) as Json).detail).toMatch(/HANDOFF_METRICS_TOKEN/);
      }
    });
  });
}

describe("the metrics token", () => {
  it("is compared whole: equal only to itself", () => {
    expect(isMetricsToken(TOKEN, TOKEN)).toBe(true);
    expect(isMetricsToken(TOKEN, TOKEN.toUpperCase())).toBe(false);
    expect(isMetricsToken(TOKEN, `${TOKEN} `)).toBe(false);
    expect(isMetricsToken(TOKEN, TOKEN.slice(1))).toBe(false);
    expect(isMetricsToken(TOKEN, "")).toBe(false);
  });
});

describe("a scrape when the store does not answer", () => {
  const figures: OperationalFigures = {
    runs: [{ workspace: "acme", workflow: "welcome", status: "completed", count: 3 }],
    outboxPending: [],
    outboxDead: [],
    outboxOldestDueSeconds: 0,
    matcher: { events: 0, seconds: 0 },
    queues: [],
  };

  it("fails with 503 (a problem, no stale figures), and the next scrape answers again", async () => {
    let calls = 0;
    const metrics = new OperationalMetrics(
      {
        operationalFigures: async () => {
          calls += 1;
          if (calls === 1) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
          return figures;
        },
      },
      "trigger-matcher",
      { processMetrics: false },
    );
    const app = new OpenAPIHono<ApiEnv>();
    metricsRoutes(app, { metrics }, TOKEN, pino({ level: "silent" }));
    const get = () => app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });

    const failed = await get();
    expect(failed.status).toBe(503);
    expect(failed.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.stringify(await failed.json())).not.toContain("ECONNREFUSED");

    const ok = await get();
    expect(ok.status).toBe(200);
    const m = new Map(parsePrometheusTextFormat(await ok.text()).map((f) => [f.name, f]));
    expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "welcome", status: "completed" })).toBe(3);
    expect(value(m, "handoff_workflow_runs", { workspace: "acme", workflow: "welcome", status: "failed" })).toBe(0);
    // Without the process metrics when told so.
    expect([...m.keys()].some((name) => name.startsWith("process_"))).toBe(false);
  });
});
