/** Outbox storage conformance: the same expectations on SQLite and a real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewOutboxItem } from "../../src/store/outbox-ports.js";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const past = new Date(Date.now() - 60_000).toISOString();
const future = new Date(Date.now() + 3_600_000).toISOString();

let n = 0;
function item(workspaceId: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem {
  n += 1;
  return {
    workspaceId,
    id: `ob${String(n).padStart(6, "0")}`,
    key: `run${n}:step:1`,
    kind: "http",
    connector: "enrichment",
    subscriptionId: null,
    runId: `run${n}`,
    recordId: "rec1",
    payload: { method: "POST", path: "/x", body: `{"n":${n}}` },
    nextAttemptAt: past,
    ...over,
  };
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`outbox store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-o";
    const other = "ws-p";
    const now = () => new Date().toISOString();
    /** Claims everything due, so that each test starts from a clean slate of due items. */
    const claimAll = (owner: string) => store.outbox.claimOutbox(owner, 1_000, 60_000);

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("inserts in a transaction and skips a duplicate key", async () => {
      const a = item(ws);
      expect(await store.transaction((tx) => tx.outbox.insertOutboxItems([a]))).toBe(1);
      const again = { ...item(ws), key: a.key };
      expect(await store.transaction((tx) => tx.outbox.insertOutboxItems([again]))).toBe(0);
      expect(await store.outbox.getOutboxItem(ws, again.id)).toBeUndefined();
      // The same key in another workspace is another item.
      expect(await store.transaction((tx) => tx.outbox.insertOutboxItems([{ ...item(other), key: a.key }]))).toBe(1);
      const stored = await store.outbox.getOutboxItem(ws, a.id);
      expect(stored).toMatchObject({ key: a.key, status: "pending", attempts: 0, payload: a.payload, lastError: null, runId: a.runId });
      expect(await store.outbox.getOutboxItem(other, a.id)).toBeUndefined();
      await claimAll("cleanup");
    });

    it("rolls an insert back with its transaction", async () => {
      const a = item(ws);
      await expect(
        store.transaction(async (tx) => {
          await tx.outbox.insertOutboxItems([a]);
          throw new Error("step failed");
        }),
      ).rejects.toThrow("step failed");
      expect(await store.outbox.getOutboxItem(ws, a.id)).toBeUndefined();
    });

    it("claims only due, unleased pending items, by the database clock, once", async () => {
      const due = item(ws);
      const later = item(ws, { nextAttemptAt: future });
      await store.transaction((tx) => tx.outbox.insertOutboxItems([due, later]));
      const claimed = await store.outbox.claimOutbox("w1", 10, 60_000);
      expect(claimed.map((c) => c.id)).toEqual([due.id]);
      expect(claimed[0]).toMatchObject({ attempts: 1, leaseOwner: "w1" });
      // Leased: another dispatcher does not get it.
      expect(await store.outbox.claimOutbox("w2", 10, 60_000)).toEqual([]);
    });

    it("lets another owner take an item whose lease lapsed, and fences the stale one", async () => {
      const a = item(ws);
      await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      const [first] = await store.outbox.claimOutbox("w1", 10, 1);
      expect(first?.id).toBe(a.id);
      await new Promise((r) => setTimeout(r, 30));
      const [second] = await store.outbox.claimOutbox("w2", 10, 60_000);
      expect(second).toMatchObject({ id: a.id, attempts: 2, leaseOwner: "w2" });
      const delivered = { status: "delivered" as const, lastStatus: 200, result: { ok: 1 } };
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w1", 1, delivered, now()))).toBe(false);
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w2", 1, delivered, now()))).toBe(false);
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w2", 2, delivered, now()))).toBe(true);
      const stored = await store.outbox.getOutboxItem(ws, a.id);
      expect(stored).toMatchObject({ status: "delivered", lastStatus: 200, result: { ok: 1 }, leaseOwner: null });
      expect(stored?.deliveredAt).toBeTruthy();
      // Settled once: a second settle finds nothing pending.
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w2", 2, delivered, now()))).toBe(false);
    });

    it("reschedules a retry by the database clock and keeps the error", async () => {
      const a = item(ws);
      await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      const [c] = await claimAll("w1");
      const retry = { status: "retry" as const, delayMs: 3_600_000, error: "HTTP 503", lastStatus: 503 };
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w1", c?.attempts ?? 0, retry, now()))).toBe(true);
      const stored = await store.outbox.getOutboxItem(ws, a.id);
      expect(stored).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 503", lastStatus: 503, leaseOwner: null });
      expect(Date.parse(stored?.nextAttemptAt ?? "") - Date.now()).toBeGreaterThan(3_500_000);
      expect(await claimAll("w2")).toEqual([]);
      // Failing (pending after a failed attempt) is a filter of the list; a fresh item is not in it.
      const fresh = item(ws, { nextAttemptAt: "2999-01-01T00:00:00.000Z" }); // never due: later tests' claims do not see it
      await store.transaction((tx) => tx.outbox.insertOutboxItems([fresh]));
      const failing = (await store.outbox.listOutbox({ workspaceId: ws, status: "pending", attempted: true, limit: 100 })).map((o) => o.id);
      expect(failing).toContain(a.id);
      expect(failing).not.toContain(fresh.id);
      const pending = (await store.outbox.listOutbox({ workspaceId: ws, status: "pending", limit: 100 })).map((o) => o.id);
      expect(pending).toEqual(expect.arrayContaining([a.id, fresh.id]));
    });

    it("gives the attempt back when an item is deferred", async () => {
      const a = item(ws);
      await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      const [c] = await claimAll("w1");
      expect(c?.attempts).toBe(1);
      expect(await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w1", 1, { status: "deferred", delayMs: 0 }, now()))).toBe(
        true,
      );
      const [again] = await claimAll("w1");
      expect(again).toMatchObject({ id: a.id, attempts: 1 });
      await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w1", 1, { status: "dead", error: "x", lastStatus: null }, now()));
    });

    it("replays only a dead letter: pending now, same key, attempts reset, who replayed", async () => {
      const a = item(ws);
      await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      const [c] = await claimAll("w1");
      expect(await store.transaction((tx) => tx.outbox.replayDeadLetter(ws, a.id, "someone", now()))).toBeUndefined();
      const dead = { status: "dead" as const, error: "HTTP 400: bad", lastStatus: 400 };
      await store.transaction((tx) => tx.outbox.settleOutbox(ws, a.id, "w1", c?.attempts ?? 0, dead, now()));
      expect(await store.outbox.getOutboxItem(ws, a.id)).toMatchObject({ status: "dead", lastError: "HTTP 400: bad" });
      expect(await store.transaction((tx) => tx.outbox.replayDeadLetter(other, a.id, "someone", now()))).toBeUndefined();
      const replayed = await store.transaction((tx) => tx.outbox.replayDeadLetter(ws, a.id, "token:t1", now()));
      expect(replayed).toMatchObject({ status: "pending", key: a.key, attempts: 0, replayedBy: "token:t1" });
      const [claimed] = await claimAll("w3");
      expect(claimed).toMatchObject({ id: a.id, attempts: 1 });
    });

    it("lists a workspace's items by status, newest first, with a keyset cursor", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const a = item(ws, { nextAttemptAt: future });
        ids.push(a.id);
        await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      }
      const page1 = await store.outbox.listOutbox({ workspaceId: ws, status: "pending", limit: 3 });
      expect(page1.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 3));
      const page2 = await store.outbox.listOutbox({ workspaceId: ws, status: "pending", limit: 3, beforeId: page1[2]?.id ?? "" });
      expect(page2.map((r) => r.id).slice(0, 2)).toEqual([...ids].reverse().slice(3, 5));
      const dead = await store.outbox.listOutbox({ workspaceId: ws, status: "dead", limit: 100 });
      expect(dead.every((r) => r.status === "dead")).toBe(true);
      expect(await store.outbox.listOutbox({ workspaceId: "nobody", limit: 10 })).toEqual([]);
    });

    it("extends the leases its owner holds", async () => {
      const a = item(ws);
      await store.transaction((tx) => tx.outbox.insertOutboxItems([a]));
      await store.outbox.claimOutbox("w1", 10, 1);
      await store.outbox.extendOutboxLeases("w1", [{ workspaceId: ws, id: a.id }], 60_000);
      await new Promise((r) => setTimeout(r, 30));
      expect(await store.outbox.claimOutbox("w2", 10, 60_000)).toEqual([]);
    });

    it("claims due rows through the index on the due time (engineering.md §3.6)", async () => {
      const plan = await store.outbox.explainOutboxClaim();
      if (kind.name === "sqlite") expect(plan).toMatch(/USING INDEX outbox_due/);
      else expect(plan).toMatch(/outbox_due/);
    });
  });
}
