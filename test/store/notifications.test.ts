/**
 * The notifications port on SQLite and PostgreSQL: a user's inbox newest first in pages (keyset
 * on created_at, id — equal instants included), the unread filter and count, marking one read
 * (idempotent, only the user's own in their workspace) and all read, the record's object joined
 * in. On SQLite, the unread count's plan reads the partial index of migration 020.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationView } from "../../src/store/notification-ports.js";
import type { Store } from "../../src/store/ports.js";
import { countUnreadStatement } from "../../src/store/sql/notifications.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { NotificationRow } from "../../src/store/workflow-ports.js";
import { STORES, sqliteTestStore, type TestStore } from "../helpers/stores.js";

const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const note = (workspaceId: string, id: string, userId: string, minutes: number, extra: Partial<NotificationRow> = {}): NotificationRow => ({
  workspaceId,
  id,
  userId,
  message: `message ${id}`,
  recordId: null,
  runId: null,
  createdAt: at(minutes),
  readAt: null,
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`notifications port on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-n";
    const other = "ws-o";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "n", name: "N", timeZone: "UTC", createdAt: at(0) });
        await tx.workspaces.insertWorkspace({ id: other, slug: "o", name: "O", timeZone: "UTC", createdAt: at(0) });
        await tx.records.insertRecords([
          { workspaceId: ws, id: "lead-1", object: "lead", version: 1, data: { last_name: "Ng" }, createdAt: at(0), updatedAt: at(0) },
        ]);
        // Ada: n01…n07, two at the same instant (n04, n05); Bob: one; another workspace: Ada's id reused.
        for (const [id, m] of [
          ["n01", 1],
          ["n02", 2],
          ["n03", 3],
          ["n04", 4],
          ["n05", 4],
          ["n06", 6],
          ["n07", 7],
        ] as const)
          await tx.notifications.insertNotification(note(ws, id, "ada", m, id === "n07" ? { recordId: "lead-1", runId: "run-1" } : {}));
        await tx.notifications.insertNotification(note(ws, "n02b", "bob", 2));
        await tx.notifications.insertNotification(note(ws, "n08", "ada", 8, { recordId: "gone-record" }));
        await tx.notifications.insertNotification(note(other, "n01", "ada", 1));
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    const page = (q: { userId?: string | null; unreadOnly?: boolean; limit: number; after?: NotificationView }) =>
      store.notifications.listNotifications({
        workspaceId: ws,
        userId: q.userId === undefined ? "ada" : q.userId,
        limit: q.limit,
        ...(q.unreadOnly ? { unreadOnly: true } : {}),
        ...(q.after ? { after: { createdAt: q.after.createdAt, id: q.after.id } } : {}),
      });

    it("lists a user's notifications newest first, with the record's object (null for none or a deleted record)", async () => {
      const all = await page({ limit: 50 });
      expect(all.map((n) => n.id)).toEqual(["n08", "n07", "n06", "n05", "n04", "n03", "n02", "n01"]);
      expect(all[1]).toEqual({
        workspaceId: ws,
        id: "n07",
        userId: "ada",
        message: "message n07",
        recordId: "lead-1",
        recordObject: "lead",
        runId: "run-1",
        createdAt: at(7),
        readAt: null,
      });
      expect(all[0]?.recordObject).toBeNull();
      expect(all[2]?.recordObject).toBeNull();
      expect((await page({ userId: null, limit: 50 })).map((n) => n.id)).toContain("n02b");
    });

    it("pages by (created_at, id) without losing or repeating the ones at one instant", async () => {
      const seen: string[] = [];
      let after: NotificationView | undefined;
      for (let i = 0; i < 10; i++) {
        const p = await page({ limit: 3, ...(after ? { after } : {}) });
        seen.push(...p.map((n) => n.id));
        if (p.length < 3) break;
        after = p.at(-1);
      }
      expect(seen).toEqual(["n08", "n07", "n06", "n05", "n04", "n03", "n02", "n01"]);
    });

    it("marks one read once (a second mark keeps the first instant), only the user's own in the workspace", async () => {
      const first = await store.transaction((tx) => tx.notifications.markNotificationRead(ws, "ada", "n06", at(100)));
      expect(first).toMatchObject({ id: "n06", readAt: at(100) });
      const again = await store.transaction((tx) => tx.notifications.markNotificationRead(ws, "ada", "n06", at(200)));
      expect(again?.readAt).toBe(at(100));
      // Bob's notification, asked by Ada; Ada's id in another workspace; no such id.
      expect(await store.transaction((tx) => tx.notifications.markNotificationRead(ws, "ada", "n02b", at(100)))).toBeUndefined();
      expect(await store.transaction((tx) => tx.notifications.markNotificationRead(other, "bob", "n01", at(100)))).toBeUndefined();
      expect(await store.transaction((tx) => tx.notifications.markNotificationRead(ws, "ada", "nope", at(100)))).toBeUndefined();
      expect((await page({ userId: "bob", limit: 5 }))[0]?.readAt).toBeNull();
      expect((await store.notifications.listNotifications({ workspaceId: other, userId: "ada", limit: 5 }))[0]?.readAt).toBeNull();
    });

    it("counts and lists the unread ones; marks all of a user's read, and again none", async () => {
      expect(await store.notifications.countUnreadNotifications(ws, "ada")).toBe(7);
      expect(await store.notifications.countUnreadNotifications(ws, "bob")).toBe(1);
      expect(await store.notifications.countUnreadNotifications(ws, null)).toBe(8);
      expect(await store.notifications.countUnreadNotifications(other, "ada")).toBe(1);
      const unread = await page({ unreadOnly: true, limit: 50 });
      expect(unread.map((n) => n.id)).toEqual(["n08", "n07", "n05", "n04", "n03", "n02", "n01"]);
      const second = await page({ unreadOnly: true, limit: 3, after: unread[2] as NotificationView });
      expect(second.map((n) => n.id)).toEqual(["n04", "n03", "n02"]);

      expect(await store.transaction((tx) => tx.notifications.markAllNotificationsRead(ws, "ada", at(300)))).toBe(7);
      expect(await store.transaction((tx) => tx.notifications.markAllNotificationsRead(ws, "ada", at(400)))).toBe(0);
      expect(await store.notifications.countUnreadNotifications(ws, "ada")).toBe(0);
      const read = await page({ limit: 50 });
      expect(read.find((n) => n.id === "n06")?.readAt).toBe(at(100));
      expect(read.find((n) => n.id === "n01")?.readAt).toBe(at(300));
      // Nobody else's were touched.
      expect(await store.notifications.countUnreadNotifications(ws, "bob")).toBe(1);
      expect(await store.notifications.countUnreadNotifications(other, "ada")).toBe(1);
    });
  });
}

describe("the unread count reads the partial index of unread notifications (SQLite plan)", () => {
  let t: TestStore;
  let raw: BetterSqlite3.Database;
  beforeAll(async () => {
    t = await sqliteTestStore();
    raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
    // A user with 20,000 notifications, nearly all read: the count must not visit the read ones.
    raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < 20000)
      insert into notifications (workspace_id, id, user_id, message, created_at, read_at)
      select 'w', 'n' || n, 'u' || (n % 20), 'm', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             case when n % 500 = 0 then null else strftime('%Y-%m-%dT%H:%M:%fZ', 'now') end from series`);
    raw.exec("analyze");
  });
  afterAll(async () => {
    raw.close();
    await t.dispose();
  });

  it("searches notifications_unread by (workspace, user)", () => {
    if (!(t.store instanceof SqlStore)) throw new Error("the test stores are SQL stores");
    const q = countUnreadStatement(t.store.db, "w", "u0").compile();
    const plan = raw
      .prepare(`explain query plan ${q.sql}`)
      .all(...(q.parameters as unknown[]))
      .map((r) => (r as { detail: string }).detail)
      .join("\n");
    expect(plan).toMatch(/SEARCH notifications USING (COVERING )?INDEX notifications_unread \(workspace_id=\? AND user_id=\?\)/);
  });
});
