/**
 * The duplicate detection port on SQLite and PostgreSQL (issue 20): match keys written, replaced
 * and found by key within one workspace only (a key shared by more than `perKey` records is
 * dropped); match rules with unique names and versioned saves; scans and their progress. The key
 * lookup's plan reads the primary key on both databases, never the whole table.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatchRuleRow } from "../../src/store/duplicate-ports.js";
import type { Store } from "../../src/store/ports.js";
import { keyLookupStatement } from "../../src/store/sql/duplicates.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const AT = "2026-03-01T09:00:00.000Z";

const rule = (workspaceId: string, id: string, name: string, version = 1): MatchRuleRow => ({
  workspaceId,
  id,
  name,
  object: "lead",
  enabled: true,
  definition: { threshold: 0.8 },
  version,
  createdAt: AT,
  updatedAt: AT,
  updatedBy: "u1",
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`duplicates port on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-d";
    const other = "ws-x";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "d", name: "D", timeZone: "UTC", createdAt: AT });
        await tx.workspaces.insertWorkspace({ id: other, slug: "x", name: "X", timeZone: "UTC", createdAt: AT });
      });
    });
    afterAll(async () => t?.dispose());

    it("finds records by key in their workspace, replaces a record's keys, and drops keys shared too widely", async () => {
      await store.transaction(async (tx) => {
        await tx.duplicates.insertMatchKeys(ws, [
          {
            object: "lead",
            recordId: "l1",
            keys: [
              { kind: "email", value: "a@x.io" },
              { kind: "phone", value: "+14155550123" },
            ],
          },
          { object: "contact", recordId: "c1", keys: [{ kind: "email", value: "a@x.io" }] },
          { object: "company", recordId: "co1", keys: [{ kind: "email", value: "a@x.io" }] },
        ]);
        await tx.duplicates.insertMatchKeys(other, [{ object: "lead", recordId: "o1", keys: [{ kind: "email", value: "a@x.io" }] }]);
        for (let i = 0; i < 5; i++)
          await tx.duplicates.insertMatchKeys(ws, [
            { object: "lead", recordId: `s${i}`, keys: [{ kind: "phone", value: "+18005550000" }] },
          ]);
      });
      const found = await store.transaction((tx) =>
        tx.duplicates.findRecordsByKeys(ws, ["lead", "contact"], [{ kind: "email", value: "a@x.io" }], 10),
      );
      expect(found.holders.map((r) => `${r.object}:${r.recordId}`).sort()).toEqual(["contact:c1", "lead:l1"]);
      expect(found.tooCommon).toEqual([]);
      const common = await store.transaction((tx) =>
        tx.duplicates.findRecordsByKeys(
          ws,
          ["lead"],
          [
            { kind: "phone", value: "+18005550000" },
            { kind: "phone", value: "+14155550123" },
          ],
          4,
        ),
      );
      // Five leads share the switchboard: more than 4, so none is returned and the key is named.
      expect(common.holders.map((r) => r.recordId)).toEqual(["l1"]);
      expect(common.tooCommon).toEqual([{ kind: "phone", value: "+18005550000" }]);

      await store.transaction((tx) =>
        tx.duplicates.replaceMatchKeys(ws, [{ object: "lead", recordId: "l1", keys: [{ kind: "email", value: "b@x.io" }] }]),
      );
      const after = await store.transaction((tx) =>
        tx.duplicates.findRecordsByKeys(
          ws,
          ["lead"],
          [
            { kind: "email", value: "a@x.io" },
            { kind: "phone", value: "+14155550123" },
            { kind: "email", value: "b@x.io" },
          ],
          10,
        ),
      );
      expect(after.holders.map((r) => `${r.kind}:${r.recordId}`)).toEqual(["email:l1"]);
      expect(after.holders[0]?.value).toBe("b@x.io");
    });

    it("inserts a create's keys and answers the lookup as the table was before them, in one call", async () => {
      const key = { kind: "email" as const, value: "both@x.io" };
      const common = { kind: "phone" as const, value: "+18005550199" };
      await store.transaction((tx) =>
        tx.duplicates.insertMatchKeys(ws, [
          { object: "contact", recordId: "f1", keys: [key, common] },
          { object: "contact", recordId: "f2", keys: [common] },
          { object: "contact", recordId: "f3", keys: [common] },
        ]),
      );
      const found = await store.transaction((tx) =>
        tx.duplicates.insertMatchKeysFinding(
          ws,
          [{ object: "contact", recordId: "f4", keys: [key, common] }],
          ["contact"],
          [key, common],
          2,
        ),
      );
      // Before the insert: f1 holds the email; three hold the phone, more than 2.
      expect(found.holders.map((h) => `${h.kind}:${h.recordId}`)).toEqual(["email:f1"]);
      expect(found.tooCommon).toEqual([common]);
      // And the insert happened.
      const after = await store.transaction((tx) => tx.duplicates.findRecordsByKeys(ws, ["contact"], [key], 10));
      expect(after.holders.map((h) => h.recordId).sort()).toEqual(["f1", "f4"]);
    });

    it("keeps match rule names unique per workspace and saves a version only over the one read", async () => {
      await store.transaction(async (tx) => {
        expect(await tx.duplicates.insertMatchRule(rule(ws, "r1", "Leads by email"))).toBe(true);
        expect(await tx.duplicates.insertMatchRule(rule(ws, "r2", "Leads by email"))).toBe(false);
        expect(await tx.duplicates.insertMatchRule(rule(other, "r1", "Leads by email"))).toBe(true);
      });
      expect((await store.duplicates.getMatchRule(ws, "Leads by email"))?.id).toBe("r1");
      expect(await store.transaction((tx) => tx.duplicates.updateMatchRule({ ...rule(ws, "r1", "Renamed", 2), enabled: false }))).toBe(
        "saved",
      );
      expect(await store.transaction((tx) => tx.duplicates.updateMatchRule(rule(ws, "r1", "Again", 2)))).toBe("stale");
      const saved = await store.duplicates.getMatchRule(ws, "r1");
      expect(saved).toMatchObject({ name: "Renamed", enabled: false, version: 2, definition: { threshold: 0.8 } });
      expect((await store.duplicates.listMatchRules(ws, "lead")).map((r) => r.id)).toEqual(["r1"]);
      expect(await store.transaction((tx) => tx.duplicates.deleteMatchRule(other, "r9"))).toBe(false);
      expect(await store.transaction((tx) => tx.duplicates.deleteMatchRule(ws, "r1"))).toBe(true);
      expect(await store.duplicates.getMatchRule(ws, "r1")).toBeUndefined();
      expect(await store.duplicates.getMatchRule(other, "r1")).toBeDefined();
    });

    it("stores a scan's progress, newest first, per workspace", async () => {
      const scan = {
        workspaceId: ws,
        id: "s1",
        object: "lead",
        status: "running" as const,
        total: 10,
        done: 0,
        pairsFound: 0,
        pairsQueued: 0,
        startedAt: AT,
        startedBy: "person:u1",
        finishedAt: null,
        error: null,
      };
      await store.transaction((tx) => tx.duplicates.insertDedupeScan(scan));
      await store.transaction((tx) =>
        tx.duplicates.updateDedupeScan({ ...scan, status: "done", done: 10, pairsFound: 3, pairsQueued: 2, finishedAt: AT }),
      );
      expect(await store.duplicates.getDedupeScan(ws, "s1")).toMatchObject({ status: "done", done: 10, pairsFound: 3, pairsQueued: 2 });
      expect(await store.duplicates.getDedupeScan(other, "s1")).toBeUndefined();
      expect((await store.duplicates.listDedupeScans(ws, 5)).map((s) => s.id)).toEqual(["s1"]);
    });

    it("looks keys up through the primary key, not a scan of the table", async () => {
      // Enough rows that a planner would rather scan than seek if no index served the query.
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        object: "lead",
        recordId: `p${i}`,
        keys: [{ kind: "email" as const, value: `p${i}@x.io` }],
      }));
      await store.transaction((tx) => tx.duplicates.insertMatchKeys(ws, rows));
      const q = keyLookupStatement(
        (store as SqlStore).db,
        ws,
        [
          { kind: "email", value: "p1@x.io" },
          { kind: "email", value: "p2@x.io" },
          { kind: "phone", value: "+15550100" },
        ],
        ["lead", "contact"],
        50,
      ).compile();
      if (kind.name === "sqlite") {
        const raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
        try {
          raw.exec("analyze");
          const plan = raw
            .prepare(`explain query plan ${q.sql}`)
            .all(...(q.parameters as unknown[]))
            .map((r) => (r as { detail: string }).detail)
            .join("\n");
          expect(plan).toMatch(
            /SEARCH match_keys USING (COVERING )?INDEX sqlite_autoindex_match_keys_1 \(workspace_id=\? AND kind=\? AND value=\?/,
          );
          expect(plan).not.toMatch(/SCAN match_keys/);
        } finally {
          raw.close();
        }
      } else {
        const client = new pg.Client({ connectionString: t.location.databaseUrl as string });
        await client.connect();
        try {
          await client.query("analyze match_keys");
          const { rows: plan } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
          const text = JSON.stringify(plan[0]["QUERY PLAN"]);
          expect(text).toContain('"Index Name":"match_keys_pk"');
          expect(text).not.toMatch(/"Node Type":"Seq Scan"/);
        } finally {
          await client.end();
        }
      }
    });
  });
}
