/** Conformance of the email suppression list, on SQLite and a real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email suppressions: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores addresses lower-cased, keeps the first reason, and finds them in any case", async () => {
      const added = await store.transaction((tx) =>
        tx.suppressions.addSuppression({
          workspaceId: "ws-a",
          email: " Ada@Example.TEST ",
          reason: "bounce",
          detail: "550 no such user",
          createdAt: T0,
        }),
      );
      expect(added).toBe(true);
      const again = await store.transaction((tx) =>
        tx.suppressions.addSuppression({ workspaceId: "ws-a", email: "ada@example.test", reason: "manual", detail: null, createdAt: T0 }),
      );
      expect(again).toBe(false);
      expect(await store.suppressions.getSuppression("ws-a", "ADA@example.test")).toEqual({
        workspaceId: "ws-a",
        email: "ada@example.test",
        reason: "bounce",
        detail: "550 no such user",
        createdAt: T0,
      });
    });

    it("keeps workspaces apart", async () => {
      expect(await store.suppressions.getSuppression("ws-b", "ada@example.test")).toBeUndefined();
      await store.transaction((tx) =>
        tx.suppressions.addSuppression({
          workspaceId: "ws-b",
          email: "ada@example.test",
          reason: "unsubscribe",
          detail: null,
          createdAt: T0,
        }),
      );
      expect((await store.suppressions.getSuppression("ws-b", "ada@example.test"))?.reason).toBe("unsubscribe");
      expect((await store.suppressions.getSuppression("ws-a", "ada@example.test"))?.reason).toBe("bounce");
    });

    it("lists in address order with keyset pages, and removes", async () => {
      await store.transaction(async (tx) => {
        for (const email of ["c@x.test", "b@x.test", "d@x.test"])
          await tx.suppressions.addSuppression({ workspaceId: "ws-a", email, reason: "manual", detail: null, createdAt: T0 });
      });
      const first = await store.suppressions.listSuppressions("ws-a", 2);
      expect(first.map((s) => s.email)).toEqual(["ada@example.test", "b@x.test"]);
      const next = await store.suppressions.listSuppressions("ws-a", 10, "b@x.test");
      expect(next.map((s) => s.email)).toEqual(["c@x.test", "d@x.test"]);
      expect(await store.transaction((tx) => tx.suppressions.removeSuppression("ws-a", "C@X.test"))).toBe(true);
      expect(await store.transaction((tx) => tx.suppressions.removeSuppression("ws-a", "c@x.test"))).toBe(false);
      expect((await store.suppressions.listSuppressions("ws-a", 10)).map((s) => s.email)).toEqual([
        "ada@example.test",
        "b@x.test",
        "d@x.test",
      ]);
    });

    it("refuses a reason outside bounce, unsubscribe and manual", async () => {
      await expect(
        store.transaction((tx) =>
          tx.suppressions.addSuppression({ workspaceId: "ws-a", email: "z@x.test", reason: "spam" as never, detail: null, createdAt: T0 }),
        ),
      ).rejects.toThrow();
    });
  });
}
