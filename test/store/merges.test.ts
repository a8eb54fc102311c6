/**
 * Record merges on SQLite and a real PostgreSQL (issue 20, item 4): a merge row round-trips with
 * its tombstone and JSON intact, only in its workspace; a merged record has at most one open merge
 * (the partial unique index refuses a second, and allows a new one once the first is undone);
 * an undo closes a merge once; merges into a survivor list newest first; every referrer of a
 * record is found with the field that points at it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MergeRow, Store, StoredRecord } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";
const T2 = "2026-01-03T00:00:00.000Z";

const rec = (workspaceId: string, id: string, object: StoredRecord["object"], data: Record<string, unknown>): StoredRecord => ({
  workspaceId,
  id,
  object,
  version: 3,
  data,
  createdAt: T0,
  updatedAt: T1,
});

const merge = (workspaceId: string, id: string, mergedId: string, extra: Partial<MergeRow> = {}): MergeRow => ({
  workspaceId,
  id,
  object: "contact",
  survivorId: "s1",
  mergedId,
  mergedSnapshot: rec(workspaceId, mergedId, "contact", { last_name: "Ölund", tags: ["a", "b"], nested: { x: 1 } }),
  survivorBefore: { version: 2, data: { last_name: "Olund", email: null } },
  survivorChanges: [{ field: "phone", old: null, new: "+33123456789" }],
  moved: [{ recordId: "t1", object: "task", field: "related_id" }],
  fields: { phone: "merged", last_name: "survivor" },
  mergedBy: "person:u1",
  mergedAt: T1,
  undoneAt: null,
  undoneBy: null,
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`merge store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores a merge with its tombstone and reads it back by id and by merged id, only in its workspace", async () => {
      await store.transaction((tx) => tx.merges.insertMerge(merge("ws-a", "m1", "x1")));
      expect(await store.merges.getMerge("ws-a", "m1")).toEqual(merge("ws-a", "m1", "x1"));
      expect(await store.merges.openMergeOf("ws-a", "x1")).toEqual(merge("ws-a", "m1", "x1"));
      expect(await store.merges.getMerge("ws-b", "m1")).toBeUndefined();
      expect(await store.merges.openMergeOf("ws-b", "x1")).toBeUndefined();
    });

    it("refuses a second open merge of one record, and allows one once the first is undone", async () => {
      await expect(store.transaction((tx) => tx.merges.insertMerge(merge("ws-a", "m2", "x1")))).rejects.toThrow();
      expect(await store.merges.getMerge("ws-a", "m2")).toBeUndefined();
      expect(await store.transaction((tx) => tx.merges.markUndone("ws-a", "m1", T2, "person:u2"))).toBe(true);
      expect(await store.transaction((tx) => tx.merges.markUndone("ws-a", "m1", T2, "person:u3"))).toBe(false);
      expect(await store.merges.getMerge("ws-a", "m1")).toMatchObject({ undoneAt: T2, undoneBy: "person:u2" });
      expect(await store.merges.openMergeOf("ws-a", "x1")).toBeUndefined();
      await store.transaction((tx) => tx.merges.insertMerge(merge("ws-a", "m3", "x1", { mergedAt: T2 })));
      expect((await store.merges.openMergeOf("ws-a", "x1"))?.id).toBe("m3");
      // Another workspace's record of the same id is its own.
      await store.transaction((tx) => tx.merges.insertMerge(merge("ws-b", "m3", "x1")));
      expect((await store.merges.openMergeOf("ws-b", "x1"))?.workspaceId).toBe("ws-b");
    });

    it("lists the merges into a survivor newest first, undone ones too", async () => {
      const list = await store.merges.mergesInto("ws-a", "s1", 10);
      expect(list.map((m) => m.id)).toEqual(["m3", "m1"]);
      expect(await store.merges.mergesInto("ws-a", "s1", 1)).toHaveLength(1);
      expect(await store.merges.mergesInto("ws-a", "nobody", 10)).toEqual([]);
    });

    it("finds every referrer of a record with the field that points at it, in its workspace only", async () => {
      await store.transaction(async (tx) => {
        await tx.records.insertRecords([
          rec("ws-a", "k1", "contact", { last_name: "K" }),
          rec("ws-a", "t1", "task", { title: "Call", related_id: "k1" }),
          rec("ws-a", "t2", "task", { title: "Mail", related_id: "k1" }),
          rec("ws-a", "a1", "activity", { type: "call", related_id: "k1" }),
          rec("ws-a", "t3", "task", { title: "Other", related_id: "k2" }),
          rec("ws-b", "t9", "task", { title: "Theirs", related_id: "k1" }),
        ]);
        // Inside the transaction, the records it has just written are seen.
        const inside = await tx.records.findReferrers("ws-a", "k1", [
          { object: "task", field: "related_id" },
          { object: "activity", field: "related_id" },
        ]);
        expect(inside.map((r) => `${r.record.id}.${r.field}`).sort()).toEqual(["a1.related_id", "t1.related_id", "t2.related_id"]);
      });
      const found = await store.records.findReferrers("ws-a", "k1", [{ object: "task", field: "related_id" }]);
      expect(found.map((r) => r.record.id)).toEqual(["t1", "t2"]);
    });
  });
}
