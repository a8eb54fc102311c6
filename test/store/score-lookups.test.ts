/**
 * What a rescore reads per record (issue 21; migration 036), on SQLite and PostgreSQL: the
 * activities about a record — that record's, that workspace's, activities only — through
 * `records_activity_related`, never a scan of the records; a record's `external.received`
 * events through `events_external_record`.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store, StoredRecord } from "../../src/store/ports.js";
import { activitiesAboutStatement } from "../../src/store/sql/scoring.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const AT = "2026-03-01T09:00:00.000Z";

const rec = (workspaceId: string, id: string, object: string, data: Record<string, unknown>): StoredRecord => ({
  workspaceId,
  id,
  object: object as StoredRecord["object"],
  version: 1,
  data,
  createdAt: AT,
  updatedAt: AT,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`score lookups on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-s";
    const other = "ws-o";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "s", name: "S", timeZone: "UTC", createdAt: AT });
        await tx.workspaces.insertWorkspace({ id: other, slug: "o", name: "O", timeZone: "UTC", createdAt: AT });
        // Enough activities about other records that a planner would rather scan than seek if no index served it.
        const many = Array.from({ length: 3000 }, (_, i) =>
          rec(ws, `a${String(i).padStart(5, "0")}`, "activity", { type: "call", related_id: `l${i % 500}` }),
        );
        for (let i = 0; i < many.length; i += 500) await tx.records.insertRecords(many.slice(i, i + 500));
        await tx.records.insertRecords([
          rec(ws, "z1", "activity", { type: "meeting", related_id: "lead-1" }),
          rec(ws, "z0", "activity", { type: "email_opened", related_id: "lead-1" }),
          rec(ws, "t1", "task", { title: "Call back", related_id: "lead-1" }),
          rec(other, "z2", "activity", { type: "call", related_id: "lead-1" }),
        ]);
      });
    });
    afterAll(async () => t?.dispose());

    it("finds a record's activities only, oldest id first, in its workspace", async () => {
      const found = await store.transaction((tx) => tx.scores.activitiesAbout(ws, "lead-1"));
      expect(found.map((r) => `${r.object}:${r.id}:${String(r.data.type)}`)).toEqual(["activity:z0:email_opened", "activity:z1:meeting"]);
      expect(await store.transaction((tx) => tx.scores.activitiesAbout(ws, "nobody"))).toEqual([]);
    });

    it("reads them through the related_id index, not a scan of the records", async () => {
      const q = activitiesAboutStatement((store as SqlStore).db, (store as SqlStore).d, ws, "lead-1").compile();
      if (kind.name === "sqlite") {
        const raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
        try {
          // No ANALYZE: a fresh workspace's planner has no statistics (migrations never analyze).
          const plan = raw
            .prepare(`explain query plan ${q.sql}`)
            .all(...(q.parameters as unknown[]))
            .map((r) => (r as { detail: string }).detail)
            .join("\n");
          expect(plan).toMatch(/SEARCH records USING INDEX records_activity_related/);
          expect(plan).not.toMatch(/SCAN records/);
        } finally {
          raw.close();
        }
      } else {
        const client = new pg.Client({ connectionString: t.location.databaseUrl as string });
        await client.connect();
        try {
          const { rows: plan } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
          const text = JSON.stringify(plan[0]["QUERY PLAN"]);
          expect(text).toContain('"Index Name":"records_activity_related"');
          expect(text).not.toMatch(/"Node Type":"Seq Scan"/);
        } finally {
          await client.end();
        }
      }
    });
  });
}
