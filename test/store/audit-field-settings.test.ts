/**
 * When records' fields were set, from the audit trail (`fieldSettings`; what a conversion model's
 * training reads to find when each record reached its outcome, docs/ai.md), on SQLite and
 * PostgreSQL: the entries of the records asked for that set the field — a creation with a value,
 * a change, a clearing — with the value and the instant, oldest first per record; other records,
 * other fields and other workspaces left out; many records in one read through the index
 * `audit_log_record`, never a scan of the trail.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Store } from "../../src/store/ports.js";
import { recordsAuditStatement } from "../../src/store/sql/log.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();

const entry = (workspaceId: string, recordId: string, minute: number, changes: AuditEntry["changes"]): AuditEntry => ({
  workspaceId,
  recordId,
  object: "lead",
  action: minute === 0 ? "create" : "update",
  actor: { kind: "person", id: "u1" },
  changes,
  at: at(minute),
  requestId: null,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`field settings from the audit trail, on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-a";
    const other = "ws-b";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "a", name: "A", timeZone: "UTC", createdAt: at(0) });
        await tx.workspaces.insertWorkspace({ id: other, slug: "b", name: "B", timeZone: "UTC", createdAt: at(0) });
        // Enough history of other records that a planner would rather scan than seek if no index served it.
        const many = Array.from({ length: 3000 }, (_, i) =>
          entry(ws, `x${i % 600}`, 1 + Math.floor(i / 600), [{ field: "status", old: "new", new: "working" }]),
        );
        await tx.audit.appendAudit(many);
        await tx.audit.appendAudit([
          entry(ws, "lead-1", 0, [
            { field: "last_name", old: null, new: "Ada" },
            { field: "status", old: null, new: "working" },
          ]),
          entry(ws, "lead-1", 5, [{ field: "email", old: null, new: "ada@example.com" }]),
          entry(ws, "lead-1", 7, [{ field: "status", old: "working", new: "converted" }]),
          entry(ws, "lead-2", 0, [{ field: "status", old: null, new: "unqualified" }]),
          entry(ws, "lead-2", 9, [{ field: "status", old: "unqualified", new: null }]),
          entry(ws, "lead-3", 0, [{ field: "last_name", old: null, new: "Grace" }]),
          entry(other, "lead-1", 8, [{ field: "status", old: "working", new: "lost" }]),
        ]);
      });
    });
    afterAll(async () => t?.dispose());

    it("gives each setting of the field, with its value and instant, oldest first per record", async () => {
      const found = await store.audit.fieldSettings(ws, ["lead-2", "lead-1", "lead-3", "nobody"], "status");
      const of = (id: string) => found.filter((f) => f.recordId === id).map((f) => [f.value, f.at]);
      expect(of("lead-1")).toEqual([
        ["working", at(0)],
        ["converted", at(7)],
      ]);
      expect(of("lead-2")).toEqual([
        ["unqualified", at(0)],
        [null, at(9)],
      ]);
      expect(found).toHaveLength(4);
      expect(await store.audit.fieldSettings(ws, [], "status")).toEqual([]);
      // More records than one statement takes.
      const all = await store.audit.fieldSettings(
        ws,
        Array.from({ length: 1200 }, (_, i) => `x${i}`),
        "status",
      );
      expect(all).toHaveLength(3000);
    });

    it("reads many records' trail through audit_log_record, not a scan of the trail", async () => {
      const q = recordsAuditStatement((store as SqlStore).db, ws, ["lead-1", "lead-2", "x7"]).compile();
      if (kind.name === "sqlite") {
        const raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
        try {
          // No ANALYZE: a fresh workspace's planner has no statistics (migrations never analyze).
          const plan = raw
            .prepare(`explain query plan ${q.sql}`)
            .all(...(q.parameters as unknown[]))
            .map((r) => (r as { detail: string }).detail)
            .join("\n");
          expect(plan).toMatch(/SEARCH audit_log USING INDEX audit_log_record \(workspace_id=\? AND record_id=\?\)/);
          expect(plan).not.toMatch(/SCAN audit_log/);
        } finally {
          raw.close();
        }
      } else {
        const client = new pg.Client({ connectionString: t.location.databaseUrl as string });
        await client.connect();
        try {
          await client.query("analyze audit_log");
          const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
          const text = JSON.stringify(rows[0]["QUERY PLAN"]);
          expect(text).toContain('"Index Name":"audit_log_record"');
          expect(text).not.toMatch(/"Node Type":"Seq Scan"/);
        } finally {
          await client.end();
        }
      }
    });
  });
}
