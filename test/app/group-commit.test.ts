/**
 * Group commit of record writes, on both stores: writes that arrive together share one
 * transaction, a refused write is undone alone (savepoint), and a group whose transaction fails
 * is written again one write per transaction — nothing lost, nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommitCounters } from "../../src/app/commit-counters.js";
import { systemContext } from "../../src/app/context.js";
import { AppError } from "../../src/app/errors.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { buildServices } from "../../src/composition/root.js";
import type { Store, StoreTx } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

/**
 * The store, counting transactions; with `failNextGroup`, the next transaction that holds more
 * than one write (savepoint) fails after its work, as a failed commit would.
 */
function counting(store: Store) {
  const counts = { transactions: 0, failNextGroup: false };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return <T>(fn: (tx: StoreTx) => Promise<T>) => {
          counts.transactions++;
          return target.transaction(async (tx) => {
            let writes = 0;
            const counted = new Proxy(tx, {
              get(t, p) {
                if (p === "savepoint") writes++;
                const v = Reflect.get(t, p, t);
                return typeof v === "function" ? v.bind(t) : v;
              },
            });
            const result = await fn(counted);
            if (counts.failNextGroup && writes > 1) {
              counts.failNextGroup = false;
              throw new Error("injected: the commit failed");
            }
            return result;
          });
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { store: wrapped, counts };
}

async function count(store: Store, workspaceId: string, what: "events" | "records"): Promise<number> {
  if (what === "events") return (await store.events.readEvents(0, 10_000, workspaceId)).length;
  const rows = await store.records.queryRecords({
    workspaceId,
    object: "lead",
    sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
    limit: 10_000,
  });
  return rows.length;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`group commit of record writes on ${kind.name}`, () => {
    let t: TestStore;
    let ws: string;

    beforeAll(async () => {
      t = await kind.open();
      ws = (await buildServices(t.store).workspaces.create("acme", "Acme")).id;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("writes that arrive together share one transaction, and each is acknowledged after its commit", async () => {
      const { store, counts } = counting(t.store);
      let commits = 0;
      const counters = new CommitCounters();
      const writer = new RecordWriter(store, systemClock, ulidGenerator(), () => commits++, undefined, undefined, counters);
      const before = await count(t.store, ws, "events");
      const ctx = systemContext(ws, "group-test");
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => writer.create(ctx, "lead", { last_name: `Group ${i}`, email: `g${i}@example.com` })),
      );
      expect(counts.transactions).toBe(1);
      expect(commits).toBe(1);
      // The engine's own counters (bench:engine replays them): one commit that carried 20 writes.
      expect(counters.snapshot()).toEqual({ record_writes: { commits: 1, items: 20, sizes: { 20: 1 } } });
      expect(new Set(created.map((r) => r.id)).size).toBe(20);
      for (const r of created) expect((await t.store.records.getRecord(ws, r.id))?.data.last_name).toBe(r.data.last_name);
      expect((await count(t.store, ws, "events")) - before).toBe(20);
    });

    it("a refused write is undone alone: the others commit, its record and event do not exist", async () => {
      const { store, counts } = counting(t.store);
      const writer = new RecordWriter(store, systemClock, ulidGenerator());
      const ctx = systemContext(ws, "group-test");
      const eventsBefore = await count(t.store, ws, "events");
      const recordsBefore = await count(t.store, ws, "records");
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          writer.create(ctx, "lead", { last_name: `Mixed ${i}`, ...(i === 2 ? { owner_id: "01nosuchuser0000000000000" } : {}) }),
        ),
      );
      expect(counts.transactions).toBe(1);
      const refused = results[2];
      expect(refused?.status).toBe("rejected");
      const error = refused?.status === "rejected" ? refused.reason : undefined;
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).issues.map((i) => i.path.join("."))).toEqual(["owner_id"]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
      expect((await count(t.store, ws, "records")) - recordsBefore).toBe(5);
      const events = (await t.store.events.readEvents(0, 10_000, ws)).slice(eventsBefore);
      expect(events).toHaveLength(5);
      const names = await Promise.all(events.map(async (e) => (await t.store.records.getRecord(ws, e.recordId))?.data.last_name));
      expect(names.sort()).toEqual(["Mixed 0", "Mixed 1", "Mixed 3", "Mixed 4", "Mixed 5"]);
    });

    it("when the shared transaction fails, every write of the group is written again on its own, once", async () => {
      const { store, counts } = counting(t.store);
      const counters = new CommitCounters();
      const writer = new RecordWriter(store, systemClock, ulidGenerator(), undefined, undefined, undefined, counters);
      const ctx = systemContext(ws, "group-test");
      const recordsBefore = await count(t.store, ws, "records");
      const eventsBefore = await count(t.store, ws, "events");
      counts.failNextGroup = true;
      const created = await Promise.all(Array.from({ length: 8 }, (_, i) => writer.create(ctx, "lead", { last_name: `Retry ${i}` })));
      expect(counts.failNextGroup).toBe(false); // the group did fail
      expect(counts.transactions).toBe(1 + 8);
      // Only what committed is counted: eight commits of one, not the group that failed.
      expect(counters.snapshot()).toEqual({ record_writes: { commits: 8, items: 8, sizes: { 1: 8 } } });
      expect((await count(t.store, ws, "records")) - recordsBefore).toBe(8);
      expect((await count(t.store, ws, "events")) - eventsBefore).toBe(8);
      for (const r of created) expect(await t.store.records.getRecord(ws, r.id)).toBeDefined();
    });

    it("a savepoint that throws undoes its writes and appended events; the transaction goes on", async () => {
      const writer = new RecordWriter(t.store, systemClock, ulidGenerator());
      const ctx = systemContext(ws, "group-test");
      const eventsBefore = await count(t.store, ws, "events");
      let inner = "";
      await t.store.transaction(async (tx) => {
        await expect(
          tx.savepoint(async () => {
            inner = (await writer.createMany(ctx, "lead", [{ last_name: "Undone" }], { tx }))[0]?.id ?? "";
            throw new Error("changed my mind");
          }),
        ).rejects.toThrow("changed my mind");
        await writer.createMany(ctx, "lead", [{ last_name: "Kept" }], { tx });
      });
      expect(inner).not.toBe("");
      expect(await t.store.records.getRecord(ws, inner)).toBeUndefined();
      const events = (await t.store.events.readEvents(0, 10_000, ws)).slice(eventsBefore);
      expect(events).toHaveLength(1);
      expect((await t.store.records.getRecord(ws, events[0]?.recordId ?? ""))?.data.last_name).toBe("Kept");
    });
  });
}
