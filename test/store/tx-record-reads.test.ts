/**
 * A transaction answers repeated record reads from what it has read and written: the answers
 * must be what the database would say inside that transaction — after inserts, updates, lost
 * races, deletes and savepoint rollbacks — on both stores. Its new records and its updates of
 * rows it holds are kept and written together later: every read must still see them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldDef } from "../../src/crm/fields.js";
import type { StoredRecord, StoreTx } from "../../src/store/ports.js";
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
      await t.store.transaction((tx) =>
        tx.workspaces.insertWorkspace({ id: ws, slug: "reads", name: "Reads", timeZone: "UTC", createdAt: T0 }),
      );
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("sees its own inserts, updates and deletes, and forgets what a rolled-back savepoint did", async () => {
      await t.store.transaction(async (tx) => {
        expect(await tx.records.getRecord(ws, "r1")).toBeUndefined();
        await tx.records.insertRecords([lead(ws, "r1")]);
        expect((await tx.records.getRecord(ws, "r1"))?.data.last_name).toBe("One");
        expect(await tx.records.updateRecord(lead(ws, "r1", 2, "Two"), 1)).toBe(true);
        expect((await tx.records.getRecords(ws, ["r1", "nope"])).map((r) => [r.id, r.version, r.data.last_name])).toEqual([
          ["r1", 2, "Two"],
        ]);
        expect((await tx.records.getRecordsForUpdate(ws, ["nope", "r1"])).map((r) => [r.id, r.version])).toEqual([["r1", 2]]);
        // A lost race leaves the row as it is, and the next read says so.
        expect(await tx.records.updateRecord(lead(ws, "r1", 9, "Stale"), 7)).toBe(false);
        expect((await tx.records.getRecord(ws, "r1"))?.version).toBe(2);
        await expect(
          tx.savepoint(async () => {
            await tx.records.updateRecord(lead(ws, "r1", 3, "Three"), 2);
            await tx.records.insertRecords([lead(ws, "r2")]);
            expect((await tx.records.getRecord(ws, "r1"))?.data.last_name).toBe("Three");
            throw new Error("undo");
          }),
        ).rejects.toThrow("undo");
        expect((await tx.records.getRecord(ws, "r1"))?.data.last_name).toBe("Two");
        expect(await tx.records.getRecord(ws, "r2")).toBeUndefined();
        expect(await tx.records.deleteRecord(ws, "r1", 2)).toBe(true);
        expect(await tx.records.getRecords(ws, ["r1"])).toEqual([]);
      });
      expect(await t.store.records.getRecord(ws, "r1")).toBeUndefined();
    });

    const byId: FieldDef = { name: "id", type: "string", label: "id" };
    const leads = (tx: StoreTx, prefix: string) =>
      tx.records
        .queryRecords({ workspaceId: ws, object: "lead", sort: { field: byId, direction: "asc" }, limit: 1000 })
        .then((rs) => rs.filter((r) => r.id.startsWith(prefix)).map((r) => [r.id, r.version, r.data.last_name]));

    it("kept writes are seen by queries, counts and reference probes in the same transaction", async () => {
      const before = await t.store.records.countRecords(ws, "lead");
      await t.store.transaction(async (tx) => {
        await tx.records.insertRecords([lead(ws, "k1"), lead(ws, "k2")]);
        expect(await tx.records.updateRecord(lead(ws, "k1", 2, "Kept"), 1)).toBe(true);
        expect(await tx.records.updateRecord(lead(ws, "k1", 3, "Twice"), 2)).toBe(true);
        // A guard on a row the transaction holds is decided on its copy.
        expect(await tx.records.updateRecord(lead(ws, "k2", 5, "Wrong"), 4)).toBe(false);
        expect(await leads(tx, "k")).toEqual([
          ["k1", 3, "Twice"],
          ["k2", 1, "One"],
        ]);
        expect(await tx.records.countRecords(ws, "lead")).toBe(before + 2);
        await tx.records.insertRecords([{ ...lead(ws, "k3"), object: "task", data: { subject: "Call", related_id: "k2" } }]);
        expect((await tx.records.findReferrer(ws, "k2", [{ object: "task", field: "related_id" }]))?.id).toBe("k3");
      });
      expect((await t.store.records.getRecord(ws, "k1"))?.data.last_name).toBe("Twice");
      expect((await t.store.records.getRecord(ws, "k1"))?.version).toBe(3);
      expect((await t.store.records.getRecord(ws, "k3"))?.object).toBe("task");
    });

    it("a rollback to a savepoint undoes the kept writes made under it and keeps the earlier ones", async () => {
      await t.store.transaction(async (tx) => {
        await tx.records.insertRecords([lead(ws, "s1")]);
        await expect(
          tx.savepoint(async () => {
            await tx.records.insertRecords([lead(ws, "s2")]);
            expect(await tx.records.updateRecord(lead(ws, "s1", 2, "Undone"), 1)).toBe(true);
            throw new Error("undo");
          }),
        ).rejects.toThrow("undo");
        expect((await tx.records.getRecord(ws, "s1"))?.data.last_name).toBe("One");
        expect(await tx.records.getRecord(ws, "s2")).toBeUndefined();
        await tx.savepoint(async () => {
          expect(await tx.records.updateRecord(lead(ws, "s1", 2, "Released"), 1)).toBe(true);
        });
        expect(await leads(tx, "s")).toEqual([["s1", 2, "Released"]]);
      });
      expect((await t.store.records.getRecord(ws, "s1"))?.data.last_name).toBe("Released");
      expect(await t.store.records.getRecord(ws, "s2")).toBeUndefined();
    });

    it("a kept write that the database refuses fails the whole transaction: nothing of it commits", async () => {
      await t.store.transaction((tx) => tx.records.insertRecords([lead(ws, "dup")]));
      await expect(
        t.store.transaction(async (tx) => {
          await tx.records.insertRecords([lead(ws, "fresh")]);
          await tx.records.insertRecords([lead(ws, "dup", 1, "Again")]); // the primary key exists: refused at the write
        }),
      ).rejects.toThrow();
      expect(await t.store.records.getRecord(ws, "fresh")).toBeUndefined();
      expect((await t.store.records.getRecord(ws, "dup"))?.data.last_name).toBe("One");
    });

    it("answers several ids in id order, as the database does", async () => {
      await t.store.transaction((tx) => tx.records.insertRecords(["b3", "a1", "c2"].map((id) => lead(ws, id))));
      await t.store.transaction(async (tx) => {
        expect((await tx.records.getRecord(ws, "c2"))?.id).toBe("c2");
        expect((await tx.records.getRecords(ws, ["c2", "b3", "a1", "c2"])).map((r) => r.id)).toEqual(["a1", "b3", "c2"]);
      });
    });
  });
}
