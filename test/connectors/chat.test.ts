/**
 * The chat notification: the send_chat action is checked at publish and enqueued like the other
 * external actions; its payload is rendered once with record values as inert data; the
 * deliverer posts `{"text": …}` to a real in-process HTTP receiver through the egress guard and
 * classifies every answer (2xx ok, 408/429/5xx retry with Retry-After, other 4xx permanent),
 * never leaving the webhook URL in an error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChatDeliverer } from "../../src/connectors/chat/chat-deliverer.js";
import { buildChatPayload, MAX_CHAT_TEXT, type SendChatAction } from "../../src/connectors/chat/chat-payload.js";
import type { OutboxItem, ResolvedConnector } from "../../src/connectors/contract.js";
import { EgressGuard } from "../../src/connectors/egress/guard.js";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { decide } from "../../src/engine/decide.js";
import { initialState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";
import type { StoredRecord } from "../../src/store/ports.js";

const T = "2026-03-02T09:00:00.000Z";
const rec = (object: StoredRecord["object"], id: string, data: Record<string, unknown>): StoredRecord => ({
  workspaceId: "ws",
  id,
  object,
  version: 1,
  data,
  createdAt: T,
  updatedAt: T,
});

const definition = (text: string, extra: Record<string, unknown> = {}) => ({
  key: "hot-lead-chat",
  name: "Tell the team about hot leads",
  object: "lead",
  trigger: { type: "record_created" },
  start: "post",
  steps: { post: { type: "action", action: { type: "send_chat", text, ...extra }, next: "done" }, done: { type: "end" } },
});

describe("send_chat in a workflow definition", () => {
  const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);

  it("defaults the connector to chat and is enqueued on the outbox with the step's key", () => {
    const v = validateWorkflow(definition("New lead: {{ record.first_name }} {{ record.last_name }}"), fields);
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const step = v.definition.steps.post;
    expect(step?.type === "action" && step.action).toEqual({
      type: "send_chat",
      connector: "chat",
      text: "New lead: {{ record.first_name }} {{ record.last_name }}",
    });
    const w = compileWorkflow(v.definition);
    const facts = { record: { id: "l1" }, refs: {}, counts: {}, nowMs: Date.parse(T) };
    // Like the runtime: `continue` until the run waits (the first call only enters the start step).
    let d = decide(w, initialState(w.definition.start), { kind: "continue" }, facts, {
      runId: "run1",
      seq: 1,
      nowMs: facts.nowMs,
      timeZone: "UTC",
    });
    for (let seq = 2; d.state.status === "running" && d.commands.length === 0 && seq < 5; seq++) {
      d = decide(w, d.state, { kind: "continue" }, facts, { runId: "run1", seq, nowMs: facts.nowMs, timeZone: "UTC" });
    }
    expect(d.commands).toEqual([
      { type: "enqueue_external", key: expect.stringMatching(/^run1:post:\d+$/), action: expect.objectContaining({ type: "send_chat" }) },
    ]);
    expect(d.state.status).toBe("waiting");
  });

  it("refuses at publish a text that reads an unknown field, does not parse, or is missing", () => {
    const unknown = validateWorkflow(definition("Lead {{ record.favourite_colour }}"), fields);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.issues).toEqual([
      expect.objectContaining({ path: ["steps", "post", "action", "text"], code: "unknown_field" }),
    ]);
    const broken = validateWorkflow(definition("Lead {{ record.first_name "), fields);
    expect(!broken.ok && broken.issues[0]?.message).toMatch(/does not parse/);
    const empty = validateWorkflow(definition("", { connector: "" }), fields);
    expect(!empty.ok && empty.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["steps.post.action.text", "steps.post.action.connector"]),
    );
  });
});

describe("buildChatPayload", () => {
  const action: SendChatAction = {
    type: "send_chat",
    connector: "sales-chat",
    text: "{{ record.first_name }} from {{ company.name }} — owner {{ owner.name }} <https://crm.example.com/leads/{{ record.id }}|open>",
  };

  it("renders record, owner and company once; the admin's own markup stays", () => {
    const built = buildChatPayload(
      action,
      {
        record: rec("lead", "L1", { first_name: "Ada" }),
        owner: rec("user", "U1", { name: "Grace", email: "grace@example.com", capacity: 10 }),
        company: rec("company", "C1", { name: "Analytical Engines" }),
      },
      "run1:post:1",
    );
    expect(built).toEqual({
      kind: "chat",
      connector: "sales-chat",
      payload: { text: "Ada from Analytical Engines — owner Grace <https://crm.example.com/leads/L1|open>" },
    });
  });

  it("renders record values as inert data: no mentions, links or template code", () => {
    const built = buildChatPayload(
      { ...action, text: "{{ record.first_name }} / {{ record.last_name }} / {{ owner.capacity }}" },
      {
        record: rec("lead", "L2", { first_name: "<!channel> & @here", last_name: "{{ record.id }} <http://evil.example|click>" }),
        owner: rec("user", "U1", { name: "Grace", capacity: 10 }),
      },
      "k",
    );
    expect(built.payload.text).toBe("&lt;!channel&gt; &amp; @\u200bhere / {{ record.id }} &lt;http://evil.example|click&gt; /");
  });

  it("cuts a very long message", () => {
    const built = buildChatPayload(
      { ...action, text: "{{ record.notes }}" },
      { record: rec("lead", "L3", { notes: "x".repeat(10_000) }) },
      "k",
    );
    expect(built.payload.text).toHaveLength(MAX_CHAT_TEXT);
    expect(built.payload.text.endsWith("…")).toBe(true);
  });
});

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

describe("ChatDeliverer against a real HTTP receiver", () => {
  const SECRET_PATH = "/hooks/T0001/B0002/s3cretW3bhookT0ken";
  let server: Server;
  let port: number;
  let received: Received[] = [];
  /** What the receiver answers next (one handler per request, in order). */
  let answers: Array<(res: ServerResponse) => void> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const answer = answers.shift() ?? ((r: ServerResponse) => r.end("ok"));
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received = [];
    answers = [];
  });

  const webhook = () => `http://127.0.0.1:${port}${SECRET_PATH}`;
  const connector = (
    secrets: Record<string, string> = { webhook_url: webhook() },
    config: Record<string, unknown> = {},
  ): ResolvedConnector => ({
    id: "c1",
    key: "chat",
    kind: "chat",
    config,
    secrets,
  });
  const item: OutboxItem = {
    workspaceId: "ws",
    id: "o1",
    key: "run1:post:1",
    kind: "chat",
    connector: "chat",
    subscriptionId: null,
    runId: "run1",
    recordId: "L1",
    payload: { text: "New lead: Ada" },
    status: "pending",
    attempts: 0,
    nextAttemptAt: T,
    lastError: null,
    createdAt: T,
    updatedAt: T,
  };
  const ctx = () => ({ attempt: 1, signal: new AbortController().signal });
  const allowed = new ChatDeliverer({ guard: new EgressGuard({ allow: ["127.0.0.1"] }), timeoutMs: 1000, now: () => Date.parse(T) });
  const noSecretIn = (outcome: unknown) => {
    const text = JSON.stringify(outcome);
    expect(text).not.toContain("s3cretW3bhookT0ken");
    expect(text).not.toContain(SECRET_PATH);
  };

  it("posts {text} as JSON with the idempotency key, the connector's username, and reports 2xx as delivered", async () => {
    const outcome = await allowed.deliver(item, connector(undefined, { username: "Handoff", icon_url: "https://x.example/i.png" }), ctx());
    expect(outcome).toEqual({ ok: true, status: 200, detail: "HTTP 200" });
    expect(received).toHaveLength(1);
    const [req] = received;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe(SECRET_PATH);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["idempotency-key"]).toBe("run1:post:1");
    expect(JSON.parse(req?.body ?? "")).toEqual({ text: "New lead: Ada", username: "Handoff", icon_url: "https://x.example/i.png" });
    expect(allowed.destination(item, connector())).toBe(`127.0.0.1:${port}`);
  });

  it("retries 429 and 503 (honouring Retry-After in seconds or as a date) and 408", async () => {
    answers.push(
      (r) => r.writeHead(429, { "retry-after": "7" }).end("slow down"),
      (r) => r.writeHead(503, { "retry-after": new Date(Date.parse(T) + 120_000).toUTCString() }).end(),
      (r) => r.writeHead(408).end(),
    );
    const a = await allowed.deliver(item, connector(), ctx());
    const b = await allowed.deliver(item, connector(), ctx());
    const c = await allowed.deliver(item, connector(), ctx());
    expect(a).toEqual({ ok: false, retryable: true, status: 429, retryAfterMs: 7000, error: "HTTP 429: slow down" });
    expect(b).toMatchObject({ ok: false, retryable: true, status: 503, retryAfterMs: 120_000 });
    expect(c).toMatchObject({ ok: false, retryable: true, status: 408 });
    expect(received.map((r) => r.headers["idempotency-key"])).toEqual(["run1:post:1", "run1:post:1", "run1:post:1"]);
  });

  it("gives up on other 4xx and on redirects, without quoting the webhook URL", async () => {
    answers.push(
      (r) => r.writeHead(404).end(`no_service: ${SECRET_PATH} is not a webhook`),
      (r) => r.writeHead(400).end("invalid_payload"),
      (r) => r.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end(),
    );
    const notFound = await allowed.deliver(item, connector(), ctx());
    expect(notFound).toMatchObject({ ok: false, retryable: false, status: 404 });
    expect(notFound.ok === false && notFound.error).toContain("is not a webhook");
    noSecretIn(notFound);
    expect(await allowed.deliver(item, connector(), ctx())).toMatchObject({
      ok: false,
      retryable: false,
      status: 400,
      error: "HTTP 400: invalid_payload",
    });
    const redirected = await allowed.deliver(item, connector(), ctx());
    expect(redirected).toMatchObject({ ok: false, retryable: false });
    noSecretIn(redirected);
  });

  it("retries a receiver that does not answer in time, and one that refuses the connection", async () => {
    answers.push(() => {
      /* never answers */
    });
    const slow = await new ChatDeliverer({ guard: new EgressGuard({ allow: ["127.0.0.1"] }), timeoutMs: 200 }).deliver(
      item,
      connector(),
      ctx(),
    );
    expect(slow).toMatchObject({ ok: false, retryable: true });
    noSecretIn(slow);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await allowed.deliver(item, connector({ webhook_url: `http://127.0.0.1:${deadPort}${SECRET_PATH}` }), ctx());
    expect(refused).toMatchObject({ ok: false, retryable: true });
    noSecretIn(refused);
  });

  it("is refused by the egress guard for a loopback webhook that is not allowed: permanent, nothing sent", async () => {
    const guarded = new ChatDeliverer({ guard: new EgressGuard({ allow: [] }), timeoutMs: 1000 });
    const outcome = await guarded.deliver(item, connector(), ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.ok === false && outcome.error).toMatch(/egress refused/);
    noSecretIn(outcome);
    expect(received).toEqual([]);
  });

  it("fails permanently, sending nothing, without a chat connector, a webhook_url or a text", async () => {
    const missing = await allowed.deliver(item, undefined, ctx());
    expect(missing).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/no connector "chat"/) });
    expect(await allowed.deliver(item, { ...connector(), kind: "http" }, ctx())).toMatchObject({ retryable: false });
    expect(await allowed.deliver(item, connector({}), ctx())).toMatchObject({
      retryable: false,
      error: expect.stringMatching(/webhook_url/),
    });
    expect(await allowed.deliver({ ...item, payload: {} }, connector(), ctx())).toMatchObject({ retryable: false });
    expect(received).toEqual([]);
  });
});
