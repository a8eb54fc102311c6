/**
 * The matcher keeps trigger sets in memory across ticks; a version published or archived by
 * another process (another store handle on the same database) must be seen by the next tick.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompiledCache } from "../../src/runtime/compiled-cache.js";
import { TriggerSets } from "../../src/runtime/trigger-index.js";
import type { DomainEvent, Store, StoreTx } from "../../src/store/ports.js";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { TriggerRow } from "../../src/store/workflow-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const WS = "ws-trigger-sets";
const definition = (field: string) => ({
  key: "wf",
  name: "wf",
  object: "lead",
  trigger: { type: "field_changed", field },
  start: "bump",
  steps: { bump: { type: "action", action: { type: "change_score", by: 1 } } },
});
const changeOf = (field: string) =>
  ({ workspaceId: WS, object: "lead", type: "record.updated", changes: [{ field, old: "a", new: "b" }] }) as unknown as DomainEvent;

/** What WorkflowService.publish writes, in one transaction of the other process. */
async function publish(tx: StoreTx, version: number, field: string, since: number) {
  await tx.workflows.upsertVersion({
    workspaceId: WS,
    workflowId: "wf",
    version,
    state: "published",
    definition: definition(field),
    createdAt: T0,
    publishedAt: T0,
    sincePosition: since,
  });
  const row: TriggerRow = { workspaceId: WS, workflowId: "wf", object: "lead", kind: "field_changed", version, sincePosition: since };
  await tx.triggers.replaceTriggers(WS, "wf", [row]);
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`trigger sets over two handles on ${kind.name}`, () => {
    let t: TestStore;
    let other: Store;
    beforeAll(async () => {
      t = await kind.open();
      other = t.location.databaseUrl
        ? openPostgresStore({ connectionString: t.location.databaseUrl, now: () => T0 })
        : openSqliteStore({ file: join(t.location.dataDir as string, "handoff.db"), now: () => T0 });
      await other.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: WS, slug: "sets", name: "Sets", timeZone: "UTC", createdAt: T0 });
        await tx.workflows.insertWorkflow({
          workspaceId: WS,
          id: "wf",
          key: "wf",
          name: "wf",
          object: "lead",
          liveVersion: 1,
          latestVersion: 1,
          createdAt: T0,
          updatedAt: T0,
        });
        await publish(tx, 1, "status", 0);
      });
    });
    afterAll(async () => {
      await other?.close();
      await t?.dispose();
    });

    it("sees each publish and the archive of the other handle in its next transaction", async () => {
      const sets = new TriggerSets(new CompiledCache());
      // One matcher tick: a transaction of this handle asking for the lead field_changed set.
      const tick = (field: string) =>
        t.store.transaction(async (tx) =>
          (await sets.get(tx, WS, "lead", ["field_changed"], new Map())).candidates(changeOf(field)).map((c) => c.row.version),
        );
      expect(await tick("status")).toEqual([1]);
      expect(await tick("status")).toEqual([1]);

      await other.transaction((tx) => publish(tx, 2, "email", 3));
      expect(await tick("status")).toEqual([]);
      expect(await tick("email")).toEqual([2]);

      await other.transaction((tx) => tx.triggers.replaceTriggers(WS, "wf", []));
      expect(await tick("email")).toEqual([]);
    });

    it("never keeps rows a rolled-back transaction wrote: the next publish elsewhere is what is read", async () => {
      const read = (store: Store) =>
        store.transaction(async (tx) => (await tx.triggers.findTriggers(WS, "lead", ["field_changed"])).map((r) => r.version));
      await other.transaction((tx) => publish(tx, 10, "status", 5));
      expect(await read(t.store)).toEqual([10]);
      // This handle replaces the rows and reads its own uncommitted ones, then rolls back.
      await expect(
        t.store.transaction(async (tx) => {
          await publish(tx, 11, "status", 6);
          expect((await tx.triggers.findTriggers(WS, "lead", ["field_changed"])).map((r) => r.version)).toEqual([11]);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      // The other handle's publish moves the epoch to the one the rolled-back write had reached.
      await other.transaction((tx) => publish(tx, 12, "status", 7));
      expect(await read(t.store)).toEqual([12]);
      expect(await read(other)).toEqual([12]);
    });
  });
}
