/**
 * Conformance of the email tracking port, on SQLite and a real PostgreSQL: a tracked message reads
 * back as written (links in order), its first open is claimed once, and the first click of each
 * link once — also when two transactions race for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email tracking: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction((tx) =>
        tx.workspaces.insertWorkspace({ id: "ws-t", slug: "ws-t", name: "T", timeZone: "UTC", createdAt: T0 }),
      );
      await store.transaction((tx) =>
        tx.emailTracking.insertTrackedMessage({
          workspaceId: "ws-t",
          id: "m1",
          recordId: "r1",
          runId: null,
          subject: "Hello",
          links: ["https://b.example/", "https://a.example/?x=1&y=2"],
          createdAt: T0,
          openedAt: null,
        }),
      );
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("reads a message back as written, and nothing of another workspace", async () => {
      expect(await store.emailTracking.getTrackedMessage("ws-t", "m1")).toEqual({
        workspaceId: "ws-t",
        id: "m1",
        recordId: "r1",
        runId: null,
        subject: "Hello",
        links: ["https://b.example/", "https://a.example/?x=1&y=2"],
        createdAt: T0,
        openedAt: null,
      });
      expect(await store.emailTracking.getTrackedMessage("ws-other", "m1")).toBeUndefined();
    });

    it("claims the first open once, even when two transactions race", async () => {
      const claims = await Promise.all([0, 1, 2].map(() => store.transaction((tx) => tx.emailTracking.markOpened("ws-t", "m1", T1))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.emailTracking.getTrackedMessage("ws-t", "m1"))?.openedAt).toBe(T1);
      expect(await store.transaction((tx) => tx.emailTracking.markOpened("ws-t", "m1", T1))).toBe(false);
      expect(await store.transaction((tx) => tx.emailTracking.markOpened("ws-t", "nope", T1))).toBe(false);
    });

    it("claims the first click of each link once", async () => {
      const claims = await Promise.all([0, 1, 2].map(() => store.transaction((tx) => tx.emailTracking.addClick("ws-t", "m1", 0, T1))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.transaction((tx) => tx.emailTracking.addClick("ws-t", "m1", 1, T1))).toBe(true);
      expect(await store.transaction((tx) => tx.emailTracking.addClick("ws-t", "m1", 1, T1))).toBe(false);
    });
  });
}
