/**
 * A transaction answers repeated record reads from what it has read and written: the answers
 * must be what the database would say inside that transaction — after inserts, updates, lost
 * races, deletes and savepoint rollbacks — on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const lead = (workspaceId: string, id: string, version = 1, last_name = "One"): StoredRecord => ({
  workspaceId,
  id,
  object: "lead",
  version,
  data: { last_name },
  createdAt: T0,
  updatedAt: T0,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`record reads inside a transaction on ${kind.name}`, () => {
    let t: TestStore;
    const ws = "ws-reads";

    beforeAll(async () => {
      t = await kind.open();
      await t.store.transaction((tx) => tx.insertWorkspace({ id: ws, slug: "reads", name: "Reads", timeZone: "UTC", createdAt: T0 }));
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("sees its own inserts, updates and deletes, and forgets what a rolled-back savepoint did", async () => {
      await t.store.transaction(async (tx) => {
        expect(await tx.getRecord(ws, "r1")).toBeUndefined();
        await tx.insertRecords([lead(ws, "r1")]);
        expect((await tx.getRecord(ws, "r1"))?.data.last_name).toBe("One");
        expect(await tx.updateRecord(lead(ws, "r1", 2, "Two"), 1)).toBe(true);
        expect((await tx.getRecords(ws, ["r1", "nope"])).map((r) => [r.id, r.version, r.data.last_name])).toEqual([["r1", 2, "Two"]]);
        expect((await tx.getRecordsForUpdate(ws, ["nope", "r1"])).map((r) => [r.id, r.version])).toEqual([["r1", 2]]);
        // A lost race leaves the row as it is, and the next read says so.
        expect(await tx.updateRecord(lead(ws, "r1", 9, "Stale"), 7)).toBe(false);
        expect((await tx.getRecord(ws, "r1"))?.version).toBe(2);
        await expect(
          tx.savepoint(async () => {
            await tx.updateRecord(lead(ws, "r1", 3, "Three"), 2);
            await tx.insertRecords([lead(ws, "r2")]);
            expect((await tx.getRecord(ws, "r1"))?.data.last_name).toBe("Three");
            throw new Error("undo");
          }),
        ).rejects.toThrow("undo");
        expect((await tx.getRecord(ws, "r1"))?.data.last_name).toBe("Two");
        expect(await tx.getRecord(ws, "r2")).toBeUndefined();
        expect(await tx.deleteRecord(ws, "r1", 2)).toBe(true);
        expect(await tx.getRecords(ws, ["r1"])).toEqual([]);
      });
      expect(await t.store.getRecord(ws, "r1")).toBeUndefined();
    });

    it("answers several ids in id order, as the database does", async () => {
      await t.store.transaction((tx) => tx.insertRecords(["b3", "a1", "c2"].map((id) => lead(ws, id))));
      await t.store.transaction(async (tx) => {
        expect((await tx.getRecord(ws, "c2"))?.id).toBe("c2");
        expect((await tx.getRecords(ws, ["c2", "b3", "a1", "c2"])).map((r) => r.id)).toEqual(["a1", "b3", "c2"]);
      });
    });
  });
}
