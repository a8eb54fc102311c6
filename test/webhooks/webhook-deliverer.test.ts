/**
 * The webhook deliverer against a real HTTP receiver started here, which verifies every request
 * with the standardwebhooks library and the subscription's secret, as a customer's would.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { webhookItemsFor } from "../../src/app/webhooks/fan-out.js";
import { webhookTargets } from "../../src/app/webhooks/webhook-targets.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { OutboxItem } from "../../src/connectors/contract.js";
import { EgressGuard } from "../../src/connectors/egress/guard.js";
import { webhookDeliverer } from "../../src/connectors/webhook/webhook-deliverer.js";
import type { DomainEvent } from "../../src/store/ports.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What verification with the subscription's current secret said. */
  verified: true | string;
}

describe("webhook deliverer", () => {
  let t: TestStore;
  let services: Services;
  let server: Server;
  let url: string;
  let secret: string;
  let subscriptionId: string;
  const received: Received[] = [];
  let answer: { status: number; headers?: Record<string, string> } = { status: 204 };
  const guard = new EgressGuard({ allow: ["127.0.0.1"] });
  const ctx = () => ({ attempt: 1, signal: new AbortController().signal });
  let n = 0;
  const itemFor = (subId = subscriptionId): OutboxItem => {
    n += 1;
    const event: DomainEvent = {
      position: n,
      id: `ev${n}`,
      workspaceId: wsId,
      type: "record.created",
      object: "lead",
      recordId: "r1",
      recordVersion: 1,
      actor: { kind: "person", id: "u1" },
      causeId: null,
      changes: [{ field: "last_name", old: null, new: "Lovelace" }],
      occurredAt: new Date().toISOString(),
      depth: 0,
    };
    const [item] = webhookItemsFor(
      event,
      [
        {
          workspaceId: wsId,
          id: subId,
          url,
          description: "",
          events: ["*.*"],
          secretSealed: "",
          active: true,
          createdAt: "",
          updatedAt: "",
        },
      ],
      services.ids,
    );
    if (!item) throw new Error("no item");
    return item;
  };
  let wsId: string;
  const deliverer = () =>
    webhookDeliverer({ guard, targets: webhookTargets(services.store.subscriptions, services.secretBox), now: () => Date.now() });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let verified: true | string = true;
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
        } catch (error) {
          verified = (error as Error).message;
        }
        received.push({ headers: req.headers, body, verified });
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.status >= 400 ? "nope" : "");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/handoff-events?token=abc`;
    t = await sqliteTestStore();
    services = buildServices(t.store, undefined, undefined, { secretBox: new SecretBox(randomBytes(32)) });
    const ws = await services.workspaces.create("acme", "Acme");
    wsId = ws.id;
    const created = await services.inbound.subscriptions.create(systemContext(ws.id), { url, events: ["lead.*"] });
    secret = created.secret;
    subscriptionId = created.subscription.id;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await t?.dispose();
  });

  it("POSTs the payload signed with the subscription's secret; the receiver's library verifies it", async () => {
    answer = { status: 204 };
    const item = itemFor();
    const outcome = await deliverer().deliver(item, undefined, ctx());
    expect(outcome).toMatchObject({ ok: true, status: 204 });
    const got = received.at(-1);
    expect(got?.verified).toBe(true);
    expect(got?.headers["webhook-id"]).toBe(item.key);
    expect(got?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got?.body ?? "")).toEqual(item.payload);
  });

  it("every attempt of one item carries the same webhook-id, freshly signed", async () => {
    answer = { status: 200 };
    const item = itemFor();
    await deliverer().deliver(item, undefined, ctx());
    await new Promise((r) => setTimeout(r, 1100));
    await deliverer().deliver(item, undefined, { ...ctx(), attempt: 2 });
    const [a, b] = received.slice(-2);
    expect(a?.headers["webhook-id"]).toBe(item.key);
    expect(b?.headers["webhook-id"]).toBe(item.key);
    expect(a?.headers["webhook-timestamp"]).not.toBe(b?.headers["webhook-timestamp"]);
    expect([a?.verified, b?.verified]).toEqual([true, true]);
  });

  it("408, 429 and 5xx are retryable with their Retry-After; other 4xx are permanent", async () => {
    const cases: Array<[number, Record<string, string>, boolean, number | undefined]> = [
      [503, { "retry-after": "7" }, true, 7000],
      [429, { "retry-after": new Date(Date.now() + 60_000).toUTCString() }, true, undefined],
      [408, {}, true, undefined],
      [500, {}, true, undefined],
      [400, { "retry-after": "7" }, false, undefined],
      [410, {}, false, undefined],
    ];
    for (const [status, headers, retryable, after] of cases) {
      answer = { status, headers };
      const outcome = await deliverer().deliver(itemFor(), undefined, ctx());
      expect(outcome, String(status)).toMatchObject({ ok: false, retryable, status });
      if (outcome.ok) continue;
      expect(outcome.error).toContain(`HTTP ${status}`);
      if (after !== undefined) expect(outcome.retryAfterMs).toBe(after);
      if (status === 429) expect(outcome.retryAfterMs).toBeGreaterThan(55_000);
      if (!retryable) expect(outcome.retryAfterMs).toBeUndefined();
    }
  });

  it("a refused destination, a deleted subscription and a stopped receiver are reported, never sent around the guard", async () => {
    const before = received.length;
    const strict = webhookDeliverer({
      guard: new EgressGuard({ allow: [] }),
      targets: webhookTargets(services.store.subscriptions, services.secretBox),
      now: () => Date.now(),
    });
    const refused = await strict.deliver(itemFor(), undefined, ctx());
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(!refused.ok && refused.error).toContain("egress refused");
    expect(received.length).toBe(before);

    const gone = await deliverer().deliver(itemFor("no-such-subscription"), undefined, ctx());
    expect(gone).toMatchObject({ ok: false, retryable: false });

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const moved = await services.inbound.subscriptions.create(systemContext(wsId), { url: `http://127.0.0.1:${port}/x`, events: ["*.*"] });
    const down = await deliverer().deliver(itemFor(moved.subscription.id), undefined, ctx());
    expect(down).toMatchObject({ ok: false, retryable: true });
  });

  it("after a rotation the next delivery is signed with the new secret only", async () => {
    answer = { status: 200 };
    const old = secret;
    const rotated = await services.inbound.subscriptions.rotateSecret(systemContext(wsId), subscriptionId);
    secret = rotated.secret;
    await deliverer().deliver(itemFor(), undefined, ctx());
    const got = received.at(-1) as Received;
    expect(got.verified).toBe(true);
    expect(() => new Webhook(old).verify(got.body, got.headers as Record<string, string>)).toThrow("No matching signature found");
  });

  it("the destination a breaker counts is the subscription", () => {
    expect(deliverer().destination(itemFor(), undefined)).toBe(`webhook:${subscriptionId}`);
  });
});
