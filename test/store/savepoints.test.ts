/**
 * Savepoints undo exactly what was done under them, on both stores. On PostgreSQL a savepoint
 * reaches the database only once something is written under it (owed-savepoints.ts): these
 * cases are the ones where that matters — a write as the first statement under a savepoint,
 * nested savepoints, and a savepoint under which nothing was written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../../src/store/ports.js";
import type { WorkflowLogRow } from "../../src/store/workflow-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const lead = (workspaceId: string, id: string): StoredRecord => ({
  workspaceId,
  id,
  object: "lead",
  version: 1,
  data: { last_name: id },
  createdAt: T0,
  updatedAt: T0,
});
const logRow = (workspaceId: string, message: string): WorkflowLogRow => ({
  workspaceId,
  workflowId: "wf-savepoints",
  recordId: null,
  eventId: null,
  kind: "skipped",
  message,
  at: T0,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`savepoints on ${kind.name}`, () => {
    let t: TestStore;
    const ws = "ws-savepoints";
    const messages = async () => (await t.store.workflows.readWorkflowLog(ws, "wf-savepoints", 100)).map((r) => r.message).sort();

    beforeAll(async () => {
      t = await kind.open();
      await t.store.transaction((tx) =>
        tx.workspaces.insertWorkspace({ id: ws, slug: "savepoints", name: "Savepoints", timeZone: "UTC", createdAt: T0 }),
      );
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("a write that is the first statement under a savepoint is undone by its rollback; what came before stays", async () => {
      await t.store.transaction(async (tx) => {
        await tx.workflows.appendWorkflowLog([logRow(ws, "before")]);
        await expect(
          tx.savepoint(async () => {
            await tx.workflows.appendWorkflowLog([logRow(ws, "undone")]);
            throw new Error("refused");
          }),
        ).rejects.toThrow("refused");
        await tx.workflows.appendWorkflowLog([logRow(ws, "after")]);
      });
      expect(await messages()).toEqual(["after", "before"]);
    });

    it("nested: the inner rollback undoes the inner write only, the outer savepoint's writes commit", async () => {
      await t.store.transaction(async (tx) => {
        await tx.savepoint(async () => {
          await tx.records.insertRecords([lead(ws, "outer-lead")]);
          await tx.savepoint(async () => {
            await tx.workflows.appendWorkflowLog([logRow(ws, "outer")]);
          });
          await expect(
            tx.savepoint(async () => {
              await tx.records.getRecord(ws, "outer-lead"); // a read first: still nothing owed is issued
              await tx.workflows.appendWorkflowLog([logRow(ws, "inner undone")]);
              throw new Error("inner refused");
            }),
          ).rejects.toThrow("inner refused");
        });
      });
      expect(await messages()).toEqual(["after", "before", "outer"]);
      expect((await t.store.records.getRecord(ws, "outer-lead"))?.data.last_name).toBe("outer-lead");
    });

    it("a savepoint with nothing written under it rolls back and releases cleanly, many times over", async () => {
      await t.store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) {
          await expect(
            tx.savepoint(async () => {
              await tx.records.getRecords(ws, ["outer-lead", "nope"]);
              throw new Error(`read-only ${i}`);
            }),
          ).rejects.toThrow(`read-only ${i}`);
          await tx.savepoint(() => tx.records.getRecord(ws, "outer-lead"));
        }
        await tx.workflows.appendWorkflowLog([logRow(ws, "after many")]);
      });
      expect(await messages()).toEqual(["after", "after many", "before", "outer"]);
    });
  });
}
