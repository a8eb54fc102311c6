/**
 * An update inside a transaction starts from the copy of the record that transaction has
 * already read (a workflow step reads its record before it writes it) instead of reading it
 * again with a lock. On PostgreSQL another writer may have committed in between: the version
 * guard catches that, the row is read again with a lock, and the write is made on it — nothing
 * the other writer did is lost, and an If-Match is judged against the row as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { buildServices } from "../../src/composition/root.js";
import { STORES, type TestStore } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`updates from a copy read earlier in the transaction on ${kind.name}`, () => {
    let t: TestStore;
    let ws: string;
    let writer: RecordWriter;
    const ctx = () => systemContext(ws, "stale-copy-test");

    beforeAll(async () => {
      t = await kind.open();
      ws = (await buildServices(t.store).workspaces.create("stale", "Stale")).id;
      writer = new RecordWriter(t.store, systemClock, ulidGenerator());
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("an update after a read in the same transaction writes once, on the record as read", async () => {
      const lead = await writer.create(ctx(), "lead", { last_name: "Plain", status: "new" });
      const updated = await t.store.transaction(async (tx) => {
        expect((await tx.records.getRecord(ws, lead.id))?.version).toBe(1);
        return writer.update(ctx(), "lead", { id: lead.id, fields: { status: "working" } }, tx);
      });
      expect(updated.version).toBe(2);
      expect((await t.store.records.getRecord(ws, lead.id))?.data).toMatchObject({ last_name: "Plain", status: "working" });
    });

    // SQLite's transaction holds the database's write lock from its first statement: no other
    // writer can commit in between, so there is no stale copy to catch — these are PostgreSQL's.
    if (kind.name === "postgres")
      describe("when another writer commits between the read and the write", () => {
        it("the write is made on the row as it is now, keeping the other writer's change", async () => {
          const lead = await writer.create(ctx(), "lead", { last_name: "Race", status: "new" });
          const updated = await t.store.transaction(async (tx) => {
            expect((await tx.records.getRecord(ws, lead.id))?.version).toBe(1);
            await writer.update(ctx(), "lead", { id: lead.id, fields: { title: "CTO" } }); // its own transaction
            // The transaction's copy is stale now: served without a lock, it is caught by the guard.
            expect((await tx.records.getRecordsToWrite(ws, [lead.id]))[0]?.version).toBe(1);
            return writer.update(ctx(), "lead", { id: lead.id, fields: { status: "working" } }, tx);
          });
          expect(updated.version).toBe(3);
          expect(updated.data).toMatchObject({ title: "CTO", status: "working" });
          expect((await t.store.records.getRecord(ws, lead.id))?.data).toMatchObject({ title: "CTO", status: "working" });
          const history = await t.store.audit.readAudit(ws, lead.id, 10);
          expect(history.filter((h) => h.action === "update")).toHaveLength(2);
        });

        it("a value the stale copy already has is still written when the row has moved away from it", async () => {
          const lead = await writer.create(ctx(), "lead", { last_name: "Back", status: "working" });
          await t.store.transaction(async (tx) => {
            await tx.records.getRecord(ws, lead.id);
            await writer.update(ctx(), "lead", { id: lead.id, fields: { status: "new" } });
            await writer.update(ctx(), "lead", { id: lead.id, fields: { status: "working" } }, tx);
          });
          const now = await t.store.records.getRecord(ws, lead.id);
          expect(now?.data.status).toBe("working");
          expect(now?.version).toBe(3);
        });

        it("If-Match is judged against the row as it is, not the transaction's stale copy", async () => {
          const lead = await writer.create(ctx(), "lead", { last_name: "Pinned" });
          await t.store.transaction(async (tx) => {
            await tx.records.getRecord(ws, lead.id);
            await writer.update(ctx(), "lead", { id: lead.id, fields: { title: "VP" } });
            const pinned = await writer.update(ctx(), "lead", { id: lead.id, fields: { status: "working" }, expectedVersion: 2 }, tx);
            expect(pinned.version).toBe(3);
            await expect(
              writer.update(ctx(), "lead", { id: lead.id, fields: { status: "new" }, expectedVersion: 2 }, tx),
            ).rejects.toMatchObject({ kind: "precondition_failed" });
          });
          expect((await t.store.records.getRecord(ws, lead.id))?.data).toMatchObject({ title: "VP", status: "working" });
        });

        it("rows the transaction has written or read for update are served from its copies, locked", async () => {
          const lead = await writer.create(ctx(), "lead", { last_name: "Locked" });
          let other: Promise<unknown> | undefined;
          await t.store.transaction(async (tx) => {
            const [locked] = await tx.records.getRecordsForUpdate(ws, [lead.id]);
            if (!locked) throw new Error("the lead is gone");
            // Another writer now waits for this transaction; its copy stays the truth until the commit.
            other = writer.update(ctx(), "lead", { id: lead.id, fields: { title: "Waited" } });
            await new Promise((resolve) => setTimeout(resolve, 100));
            expect((await tx.records.getRecordsForUpdate(ws, [lead.id]))[0]?.version).toBe(1);
            expect(await tx.records.updateRecord({ ...locked, version: 2, data: { ...locked.data, status: "working" } }, 1)).toBe(true);
            expect((await tx.records.getRecordsToWrite(ws, [lead.id]))[0]?.version).toBe(2);
          });
          await other;
          const now = await t.store.records.getRecord(ws, lead.id);
          expect(now?.version).toBe(3);
          expect(now?.data).toMatchObject({ status: "working", title: "Waited" });
        });
      });
  });
}
