/**
 * An admin setting or resetting a user's password, or revoking one of their sessions, leaves an
 * entry in the configuration audit, written in the same transaction: who, to whom, set or reset,
 * how many sessions ended — never the password or its hash. A refused call (not an admin, no such
 * user) leaves none. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const PASSWORD = "a long enough password";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`password and session changes are audited on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let admin: CallContext;
    let userId: string;

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
      const ws = await s.workspaces.create("audit", "Audit");
      const people = await s.writer.createMany(
        { workspaceId: ws.id, role: "admin", actor: { kind: "system", id: "test" }, requestId: null, causeId: null },
        "user",
        [
          { name: "Ada Admin", email: "ada@audit.example", role: "admin" },
          { name: "Reggie Rep", email: "reggie@audit.example", role: "rep" },
        ],
      );
      admin = {
        workspaceId: ws.id,
        role: "admin",
        actor: { kind: "person", id: people[0]?.id as string },
        requestId: "req-1",
        causeId: null,
      };
      userId = people[1]?.id as string;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    const audit = async () => (await t.store.configAudit.readConfigAudit(admin.workspaceId, 50)).reverse();

    it("a password set, then reset, each with its entry; the password and its hash appear nowhere", async () => {
      await s.credentials.setPassword(admin, userId, PASSWORD);
      await s.store.transaction((tx) =>
        tx.sessions.insertSession({
          id: "sess-1",
          workspaceId: admin.workspaceId,
          userId,
          secretHash: "h1",
          createdAt: new Date().toISOString(),
          lastSeenAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          revokedAt: null,
        }),
      );
      expect(await s.credentials.setPassword(admin, userId, `${PASSWORD}!`)).toEqual({ revokedSessions: 1 });

      const entries = await audit();
      expect(entries.map((e) => [e.entity, e.entityId, e.action, e.summary])).toEqual([
        ["user_password", userId, "create", { user_id: userId, password: "set", revoked_sessions: 0 }],
        ["user_password", userId, "update", { user_id: userId, password: "reset", revoked_sessions: 1 }],
      ]);
      expect(entries[1]).toMatchObject({ actor: admin.actor, requestId: "req-1" });
      const hash = (await t.store.credentials.getPasswordHash(admin.workspaceId, userId)) as string;
      expect(JSON.stringify(entries)).not.toContain(PASSWORD);
      expect(JSON.stringify(entries)).not.toContain(hash);
    });

    it("a revoked session has its entry; refused calls leave none", async () => {
      await s.store.transaction((tx) =>
        tx.sessions.insertSession({
          id: "sess-2",
          workspaceId: admin.workspaceId,
          userId,
          secretHash: "h2",
          createdAt: new Date().toISOString(),
          lastSeenAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          revokedAt: null,
        }),
      );
      await s.credentials.revokeSession(admin, "sess-2");
      const before = (await audit()).length;
      expect((await audit()).at(-1)).toMatchObject({
        entity: "session",
        entityId: "sess-2",
        action: "delete",
        summary: { user_id: userId },
      });

      const rep: CallContext = { ...admin, role: "rep", actor: { kind: "person", id: userId } };
      await expect(s.credentials.setPassword(rep, userId, PASSWORD)).rejects.toMatchObject({ kind: "not_found" });
      await expect(s.credentials.setPassword(admin, "no-such-user", PASSWORD)).rejects.toMatchObject({ kind: "not_found" });
      await expect(s.credentials.setPassword(admin, userId, "short")).rejects.toMatchObject({ kind: "validation" });
      await expect(s.credentials.revokeSession(admin, "sess-2")).rejects.toMatchObject({ kind: "not_found" });
      expect(await audit()).toHaveLength(before);
    });
  });
}
