/**
 * Chat posts and outbound webhooks through the dispatcher, over real HTTP, on both stores: a
 * send_chat step posts `{text}` to the chat connector's secret incoming-webhook URL (a real
 * node:http receiver, let through the egress allow-list); a webhook subscription created with the
 * API receives `lead.created` signed the Standard Webhooks way, and the receiver verifies it with
 * the `standardwebhooks` library and the secret the API showed once; a receiver that answers 500
 * and then 200 sees one webhook-id on every attempt. Fast retry policy through options.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";
import { type Received, type Receiver, startReceiver } from "./receiver.js";

type Json = Record<string, any>;
const CHAT_PATH = "/chat/T0001/B0002/s3cr3tChatToken";

const workflow = {
  key: "tell-the-team",
  name: "Tell the team",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "post",
  steps: {
    post: {
      type: "action",
      action: { type: "send_chat", text: "New lead: {{ record.first_name }} {{ record.last_name }} ({{ record.employee_count }} people)" },
      next: "done",
      on_failure: "done",
    },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`chat and outbound webhooks through the dispatcher on ${kind.name}`, () => {
    let rx: Receiver;
    let secret: string;
    /** Deliveries per lead, for the flaky answers. */
    const attempts = new Map<string, number>();
    const flaky = new Set<string>();

    const webhooksFor = (leadId: string) => rx.to("/webhooks").filter((r) => (JSON.parse(r.body) as Json).data?.id === leadId);
    const verified = (r: Received) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Json;

    // Registered before useTestServer: the receiver is up before the test server starts, and
    // stops only after it is closed (afterAll hooks run in reverse).
    beforeAll(async () => {
      rx = await startReceiver();
      rx.script(CHAT_PATH, () => ({ status: 200, body: "ok" }));
      rx.script("/steps", () => ({ status: 200, body: {} }));
      // 500 to the first two deliveries of a lead named in `flaky`; 2xx otherwise.
      rx.script("/webhooks", (req) => {
        const data = (JSON.parse(req.body) as Json).data;
        const n = (attempts.get(data?.id) ?? 0) + 1;
        attempts.set(data?.id, n);
        return flaky.has(data?.record?.last_name) && n <= 2 ? { status: 500, body: "busy" } : { status: 204 };
      });
    });
    afterAll(async () => {
      await rx?.close();
    });
    const env = useTestServer(kind, () => [
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${rx.port}`],
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 10 } },
      },
    ]);
    beforeAll(async () => {
      const chat = await env.s.post("/api/v1/connectors", {
        key: "chat",
        kind: "chat",
        config: { username: "Handoff" },
        secrets: { webhook_url: `${rx.url}${CHAT_PATH}` },
      });
      expect(chat.secrets).toEqual({ webhook_url: "set" });
      const sub = await env.s.post("/api/v1/webhook-subscriptions", { url: `${rx.url}/webhooks/handoff`, events: ["lead.created"] });
      expect(sub.secret).toMatch(/^whsec_/);
      secret = sub.secret;
      const saved = await env.s.post("/api/v1/workflows", { definition: workflow });
      expect((await env.s.post(`/api/v1/workflows/${saved.id}/publish`, {})).live_version).toBe(1);
    });

    it("send_chat posts {text} to the secret webhook URL with the step's Idempotency-Key, and the run goes on", async () => {
      const lead = await env.s.post("/api/v1/leads", { first_name: "Ada", last_name: "<Lovelace> @channel", employee_count: 40 });
      const item = await eventually("the chat item", async () =>
        (await env.s.get("/api/v1/outbox?limit=200")).data.find((o: Json) => o.record_id === lead.id && o.kind === "chat"),
      );
      const delivered = await eventually("the chat post delivered", async () => {
        const o = await env.s.get(`/api/v1/outbox/${item.id}`);
        return o.status === "delivered" ? o : undefined;
      });
      expect(delivered).toMatchObject({ attempts: 1, connector: "chat" });
      const posts = rx.to(CHAT_PATH);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.method).toBe("POST");
      expect(posts[0]?.headers["content-type"]).toContain("application/json");
      expect(posts[0]?.headers["idempotency-key"]).toBe(item.key);
      expect(JSON.parse(posts[0]?.body ?? "{}")).toEqual({
        text: "New lead: Ada &lt;Lovelace&gt; @\u200bchannel (40 people)",
        username: "Handoff",
      });
      // The secret URL is a secret: the outbox view never shows it.
      expect(JSON.stringify(await env.s.get(`/api/v1/outbox/${item.id}`))).not.toContain("s3cr3tChatToken");
      const run = await eventually("the run to complete", async () =>
        (await env.s.get(`/api/v1/runs?record_id=${lead.id}`)).data.find((r: Json) => r.status === "completed"),
      );
      expect((await env.s.get(`/api/v1/runs/${run.id}`)).steps.map((x: Json) => [x.step, x.outcome])).toEqual([
        ["post", "enqueued"],
        ["post", "succeeded"],
        ["done", "completed"],
      ]);
    });

    it("a lead.created subscription receives a delivery the receiver verifies with standardwebhooks and the secret", async () => {
      const lead = await env.s.post("/api/v1/leads", { first_name: "Grace", last_name: "Hopper", email: "grace@navy.example" });
      const [got, ...more] = await eventually("the lead.created webhook", async () => {
        const list = webhooksFor(lead.id);
        return list.length > 0 ? list : undefined;
      });
      expect(more).toEqual([]);
      expect(got?.path).toBe("/webhooks/handoff");
      const event = verified(got as Received);
      expect(event).toMatchObject({
        type: "lead.created",
        data: { object: "lead", id: lead.id, record: { id: lead.id, last_name: "Hopper", email: "grace@navy.example" } },
      });
      expect(got?.headers["webhook-id"]).toMatch(/:/);
      // The signature covers the body: a receiver that changed one byte, or holds another secret, refuses it.
      expect(() =>
        new Webhook(secret).verify(got?.body.replace("Hopper", "Hoppex") ?? "", got?.headers as Record<string, string>),
      ).toThrow();
      const other = new Webhook(Buffer.from("another secret of 32 bytes......").toString("base64"));
      expect(() => other.verify(got?.body ?? "", got?.headers as Record<string, string>)).toThrow();
    });

    it("a receiver that answers 500 and then 200 gets the same webhook-id, validly signed, on every attempt", async () => {
      flaky.add("Flaky");
      const lead = await env.s.post("/api/v1/leads", { first_name: "Fred", last_name: "Flaky" });
      const item = await eventually("the webhook item delivered", async () => {
        const list = (await env.s.get("/api/v1/outbox?limit=200")).data.filter((o: Json) => o.kind === "webhook");
        for (const o of list) {
          const full = await env.s.get(`/api/v1/outbox/${o.id}`);
          if (full.status === "delivered" && JSON.stringify(full).includes(lead.id)) return full;
        }
        return undefined;
      });
      expect(item.attempts).toBe(3);
      const calls = webhooksFor(lead.id);
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((c) => c.headers["webhook-id"]))).toEqual(new Set([item.key]));
      for (const c of calls) expect(verified(c)).toMatchObject({ type: "lead.created", data: { id: lead.id } });
    });

    it("a workflow.step subscription receives each logged step of the workflow, signed", async () => {
      const sub = await env.s.post("/api/v1/webhook-subscriptions", {
        url: `${rx.url}/steps/handoff`,
        events: ["workflow.step:tell-the-team/*"],
      });
      const lead = await env.s.post("/api/v1/leads", { first_name: "Hedy", last_name: "Lamarr", employee_count: 7 });
      const steps = await eventually("the step webhooks", async () => {
        const got = rx.to("/steps").filter((r) => (JSON.parse(r.body) as Json).data?.record_id === lead.id);
        return got.length >= 3 ? got : undefined;
      });
      // Deliveries run in parallel: order them by the step's seq, not by arrival.
      const events = steps
        .map((r) => new Webhook(sub.secret).verify(r.body, r.headers as Record<string, string>) as Json)
        .sort((a, b) => a.data.seq - b.data.seq);
      expect(events.map((e) => [e.type, e.data.workflow_key, e.data.step, e.data.outcome])).toEqual([
        ["workflow.step", "tell-the-team", "post", "enqueued"],
        ["workflow.step", "tell-the-team", "post", "succeeded"],
        ["workflow.step", "tell-the-team", "done", "completed"],
      ]);
      expect(new Set(steps.map((r) => r.headers["webhook-id"])).size).toBe(3);
    });
  });
}
