/**
 * The dispatcher against a real store with a Deliverer written here (what a receiver answers is
 * the test's to choose): missing connectors and deliverers are dead letters, SettledHooks run in
 * the settling transaction, an open circuit holds items back without using up attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/app/ports.js";
import type { Deliverer, DeliveryOutcome, OutboxItem, SettledHook } from "../../src/connectors/contract.js";
import { DEFAULT_DISPATCHER, Dispatcher } from "../../src/runtime/dispatcher.js";
import type { NewOutboxItem } from "../../src/store/outbox-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

let n = 0;
const item = (ws: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem => {
  n += 1;
  return {
    workspaceId: ws,
    id: `d${String(n).padStart(6, "0")}`,
    key: `k${n}`,
    kind: "http",
    connector: "api",
    subscriptionId: null,
    runId: null,
    recordId: null,
    payload: { method: "POST", path: "/" },
    nextAttemptAt: new Date(Date.now() - 1_000).toISOString(),
    ...over,
  };
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`dispatcher on ${kind.name}`, () => {
    let t: TestStore;
    const ws = "ws-d";
    let answer: (item: OutboxItem) => DeliveryOutcome = () => ({ ok: true, status: 200, detail: "HTTP 200" });
    const attempts: string[] = [];
    const deliverer: Deliverer = {
      kind: "http",
      destination: (_item, connector) => String(connector?.config.host ?? "none"),
      async deliver(i) {
        attempts.push(i.key);
        return answer(i);
      },
    };
    const settled: Array<{ key: string; final: boolean; ok: boolean }> = [];
    const hook: SettledHook = async (_tx, i, outcome, final) => {
      settled.push({ key: i.key, final, ok: outcome.ok });
    };
    const dispatcher = () =>
      new Dispatcher(
        {
          store: t.store,
          connectors: {
            resolve: async (_w, key) =>
              key === "api" ? { id: "c", key, kind: "http", config: { host: "api.test:443" }, secrets: {} } : undefined,
          },
          deliverers: [deliverer],
          hooks: { http: hook },
          clock: systemClock,
          random: () => 0.5,
          owner: "test-dispatcher",
        },
        { ...DEFAULT_DISPATCHER, policy: { baseDelayMs: 0, maxAttempts: 20 } },
      );

    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("delivers, and runs the kind's hook in the settling transaction with final = true", async () => {
      const a = item(ws);
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      await dispatcher().drain();
      expect(await t.store.outbox.getOutboxItem(ws, a.id)).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
      expect(settled.filter((x) => x.key === a.key)).toEqual([{ key: a.key, final: true, ok: true }]);
    });

    it("dead-letters an item whose connector or deliverer does not exist, without calling anything", async () => {
      const noConnector = item(ws, { connector: "gone" });
      const noDeliverer = item(ws, { kind: "chat" });
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems([noConnector, noDeliverer]));
      await dispatcher().drain();
      expect(await t.store.outbox.getOutboxItem(ws, noConnector.id)).toMatchObject({
        status: "dead",
        lastError: 'permanent failure: no connector "gone" in this workspace',
      });
      expect(await t.store.outbox.getOutboxItem(ws, noDeliverer.id)).toMatchObject({
        status: "dead",
        lastError: "permanent failure: no deliverer for chat items in this process",
      });
      expect(attempts).not.toContain(noConnector.key);
      expect(attempts).not.toContain(noDeliverer.key);
    });

    it("a hook that fails rolls the outcome back: the item stays pending under its lease", async () => {
      const a = item(ws);
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      const d = new Dispatcher(
        {
          store: t.store,
          connectors: { resolve: async (_w, key) => ({ id: "c", key, kind: "http", config: {}, secrets: {} }) },
          deliverers: [deliverer],
          hooks: {
            http: async () => {
              throw new Error("hook failed");
            },
          },
          clock: systemClock,
          owner: "hooked",
        },
        DEFAULT_DISPATCHER,
      );
      await d.once();
      expect(await t.store.outbox.getOutboxItem(ws, a.id)).toMatchObject({ status: "pending", attempts: 1, leaseOwner: "hooked" });
    });

    it("opens the circuit after 5 straight transient failures and holds items back without using attempts", async () => {
      answer = () => ({ ok: false, retryable: true, status: 503, error: "HTTP 503" });
      const d = dispatcher();
      const failing = Array.from({ length: 5 }, () => item(ws));
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems(failing));
      await d.once();
      for (const f of failing)
        expect(await t.store.outbox.getOutboxItem(ws, f.id)).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 503" });
      const held = item(ws);
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems([held]));
      const before = attempts.length;
      // The failed ones are due again at once (backoff 0): the open circuit holds all of them.
      await d.once();
      expect(attempts.length).toBe(before);
      const stored = await t.store.outbox.getOutboxItem(ws, held.id);
      expect(stored).toMatchObject({ status: "pending", attempts: 0, leaseOwner: null });
      expect(Date.parse(stored?.nextAttemptAt ?? "")).toBeGreaterThan(Date.now() + 20_000);
      answer = () => ({ ok: true, status: 200, detail: "HTTP 200" });
    });
  });
}
