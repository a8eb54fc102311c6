/**
 * The credentials and sessions ports on SQLite and PostgreSQL: a password hash set and replaced
 * per (workspace, user); sign-in candidates by email, case-insensitively, literally (no LIKE
 * wildcards), per workspace; sessions found by their secret's hash, listed newest first per user,
 * touched, revoked one at a time and all of a user's — never another workspace's; each user's last
 * sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store, WebSession } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-02-01T10:00:00.000Z";
const later = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const user = (workspaceId: string, id: string, email: string) => ({
  workspaceId,
  id,
  object: "user" as const,
  version: 1,
  data: { name: id, email, role: "rep" },
  createdAt: T0,
  updatedAt: T0,
});

const session = (workspaceId: string, id: string, userId: string, minutes: number): WebSession => ({
  id,
  workspaceId,
  userId,
  secretHash: `hash-${workspaceId}-${id}`,
  createdAt: later(minutes),
  lastSeenAt: later(minutes),
  expiresAt: later(minutes + 600),
  revokedAt: null,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`credentials and sessions ports on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-1", slug: "one", name: "One", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-2", slug: "two", name: "Two", timeZone: "UTC", createdAt: T0 });
        await tx.records.insertRecords([
          user("ws-1", "u-ada", "Ada@Example.com"),
          user("ws-1", "u-bob", "bob@example.com"),
          user("ws-1", "u-pct", "a_b%c@example.com"),
          user("ws-2", "u-ada2", "ada@example.com"),
        ]);
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("sets and replaces a password hash per (workspace, user)", async () => {
      expect(await store.credentials.getPasswordHash("ws-1", "u-ada")).toBeUndefined();
      await store.transaction((tx) => tx.credentials.setPasswordHash("ws-1", "u-ada", "scrypt$one", T0));
      await store.transaction((tx) => tx.credentials.setPasswordHash("ws-1", "u-ada", "scrypt$two", later(1)));
      expect(await store.credentials.getPasswordHash("ws-1", "u-ada")).toBe("scrypt$two");
      expect(await store.credentials.getPasswordHash("ws-2", "u-ada")).toBeUndefined();
    });

    it("finds sign-in candidates by email, case-insensitively and literally, in every workspace or one", async () => {
      const all = await store.credentials.findSignInCandidates("ADA@example.COM");
      expect(all.map((c) => [c.workspaceSlug, c.userId, c.passwordHash]).sort()).toEqual([
        ["one", "u-ada", "scrypt$two"],
        ["two", "u-ada2", null],
      ]);
      expect((await store.credentials.findSignInCandidates("ada@example.com", "two")).map((c) => c.userId)).toEqual(["u-ada2"]);
      expect(await store.credentials.findSignInCandidates("ada@example.com", "nowhere")).toEqual([]);
      // LIKE wildcards in the typed email match only themselves.
      expect(await store.credentials.findSignInCandidates("%@example.com")).toEqual([]);
      expect(await store.credentials.findSignInCandidates("a_b_c@example.com")).toEqual([]);
      expect((await store.credentials.findSignInCandidates("a_b%c@example.com")).map((c) => c.userId)).toEqual(["u-pct"]);
    });

    it("keeps sessions: by secret hash, per user newest first, touched, revoked once, all of a user's", async () => {
      await store.transaction(async (tx) => {
        await tx.sessions.insertSession(session("ws-1", "s1", "u-ada", 0));
        await tx.sessions.insertSession(session("ws-1", "s2", "u-ada", 5));
        await tx.sessions.insertSession(session("ws-1", "s3", "u-ada", 9));
        await tx.sessions.insertSession(session("ws-1", "s4", "u-bob", 1));
        await tx.sessions.insertSession(session("ws-2", "s1", "u-ada2", 1));
      });
      expect(await store.sessions.findSessionBySecretHash("hash-ws-1-s2")).toEqual(session("ws-1", "s2", "u-ada", 5));
      expect(await store.sessions.findSessionBySecretHash("nope")).toBeUndefined();
      expect((await store.sessions.listSessions("ws-1", "u-ada")).map((x) => x.id)).toEqual(["s3", "s2", "s1"]);
      expect(await store.sessions.getSession("ws-2", "s4")).toBeUndefined();

      await store.transaction((tx) => tx.sessions.touchSession("ws-1", "s1", later(30)));
      expect((await store.sessions.getSession("ws-1", "s1"))?.lastSeenAt).toBe(later(30));
      expect((await store.sessions.getSession("ws-2", "s1"))?.lastSeenAt).toBe(later(1));

      expect(await store.transaction((tx) => tx.sessions.revokeSession("ws-1", "s1", later(40)))).toBe(true);
      expect(await store.transaction((tx) => tx.sessions.revokeSession("ws-1", "s1", later(50)))).toBe(false);
      expect((await store.sessions.getSession("ws-1", "s1"))?.revokedAt).toBe(later(40));
      expect((await store.sessions.getSession("ws-2", "s1"))?.revokedAt).toBeNull();

      expect(await store.transaction((tx) => tx.sessions.revokeUserSessions("ws-1", "u-ada", later(60)))).toBe(2);
      expect(await store.transaction((tx) => tx.sessions.revokeUserSessions("ws-1", "u-ada", later(70)))).toBe(0);
      expect((await store.sessions.listSessions("ws-1", "u-ada")).map((x) => [x.id, x.revokedAt])).toEqual([
        ["s3", later(60)],
        ["s2", later(60)],
        ["s1", later(40)],
      ]);
      expect((await store.sessions.getSession("ws-1", "s4"))?.revokedAt).toBeNull();
    });

    it("tells each user's last sign-in and last use, per workspace (revoked sessions count: they were sign-ins)", async () => {
      expect(await store.sessions.lastSignIns("ws-1")).toEqual([
        { userId: "u-ada", lastSignInAt: later(9), lastSeenAt: later(30) },
        { userId: "u-bob", lastSignInAt: later(1), lastSeenAt: later(1) },
      ]);
      expect(await store.sessions.lastSignIns("ws-2")).toEqual([{ userId: "u-ada2", lastSignInAt: later(1), lastSeenAt: later(1) }]);
      expect(await store.sessions.lastSignIns("ws-none")).toEqual([]);
    });
  });
}
