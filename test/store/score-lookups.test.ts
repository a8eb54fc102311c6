/**
 * What a rescore reads per record (issue 21; migration 036), on SQLite and PostgreSQL: the
 * activities about a record — that record's, that workspace's, activities only — through
 * `records_activity_related`, never a scan of the records, and those about many records in one
 * read (a conversion model's training, issue 24); a record's `external.received` events through
 * `events_external_record`. And what the decay worker claims (migration 035): due
 * score states through the partial index `score_states_due`, never a scan of every state.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store, StoredRecord } from "../../src/store/ports.js";
import { activitiesAboutStatement, claimDueScoreStatesStatement } from "../../src/store/sql/scoring.js";
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

/** Score states in the claim's plan test: enough that a planner with statistics would rather scan than seek without an index. */
const STATES = 20_000;

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

    it("finds many records' activities in one read, only theirs and only activities, in their workspace", async () => {
      const found = await store.scores.activitiesAboutMany(ws, ["lead-1", "l7", "nobody"]);
      const about = (id: string) =>
        found
          .filter((r) => r.data.related_id === id)
          .map((r) => r.id)
          .sort();
      expect(about("lead-1")).toEqual(["z0", "z1"]);
      expect(about("l7")).toEqual(["a00007", "a00507", "a01007", "a01507", "a02007", "a02507"]);
      expect(found).toHaveLength(8);
      expect(found.every((r) => r.object === "activity" && r.workspaceId === ws)).toBe(true);
      expect(await store.scores.activitiesAboutMany(ws, [])).toEqual([]);
      // More ids than one statement takes.
      const all = await store.scores.activitiesAboutMany(
        ws,
        Array.from({ length: 1200 }, (_, i) => `l${i}`),
      );
      expect(all).toHaveLength(3000);
    });

    it("claims due score states through score_states_due and the primary key, not a scan of every state", async () => {
      // States as a workspace holds them after a while: most settled (no next change, outside the
      // partial index), a tenth decaying later, one due.
      const due = (n: string) => `'2026-04-01T00:00:00.000Z'::timestamptz + make_interval(mins => ${n} % 1000)`;
      const fill = (next: string, n: string) =>
        `insert into score_states (workspace_id, model_id, record_id, version, fit, engagement, total, fit_rules, updated_at, next_change_at)
         select '${ws}', 'm1', 'r' || ${n}, 1, 0, 10, 10, '[]', '${AT}', case when ${n} % 10 = 0 then ${next} else null end from series`;
      const { db, d } = store as SqlStore;
      const claim = (dueBy?: string) => claimDueScoreStatesStatement(db, d, "w1", 50, 60_000, dueBy).compile();
      if (kind.name === "sqlite") {
        const raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
        try {
          raw.exec(
            `with recursive series(n) as (select 1 union all select n + 1 from series where n < ${STATES}) ${fill(
              "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-04-01', '+' || (n % 1000) || ' minutes')",
              "n",
            )}`,
          );
          // No ANALYZE, as above.
          for (const q of [claim(), claim("2026-03-01T00:00:00.000Z")]) {
            const plan = raw
              .prepare(`explain query plan ${q.sql}`)
              .all(...(q.parameters as unknown[]))
              .map((r) => (r as { detail: string }).detail)
              .join("\n");
            expect(plan).toMatch(/SEARCH score_states USING INDEX score_states_due \(next_change_at>\? AND next_change_at<\?\)/);
            expect(plan).toMatch(
              /SEARCH score_states USING (COVERING )?INDEX sqlite_autoindex_score_states_1 \(workspace_id=\? AND model_id=\? AND record_id=\?\)/,
            );
            expect(plan).not.toMatch(/SCAN score_states\b(?! USING)/);
          }
        } finally {
          raw.close();
        }
      } else {
        const client = new pg.Client({ connectionString: t.location.databaseUrl as string });
        await client.connect();
        try {
          await client.query(`with series(n) as (select generate_series(1, ${STATES})) ${fill(due("n"), "n")}`);
          await client.query("analyze score_states");
          for (const q of [claim(), claim("2026-03-01T00:00:00.000Z")]) {
            const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
            const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
            expect(plan).toContain('"Index Name":"score_states_due"');
            // The UPDATE finds the claimed rows by key (its primary key or the per-record index), reading no other state.
            expect(plan).toMatch(/"Index Name":"score_states_(pk|record)"/);
            expect(plan).not.toContain('"Node Type":"Seq Scan"');
          }
        } finally {
          await client.end();
        }
      }
      // And the claim takes what is due, only that.
      await store.transaction((tx) =>
        tx.scores.putScoreState({
          workspaceId: ws,
          modelId: "m1",
          recordId: "r-due",
          version: 1,
          fit: 0,
          engagement: 10,
          total: 10,
          // An AI prediction rule's share (045) is kept with the rules that held.
          fitRules: ["ai/predicted"],
          fitPoints: { "ai/predicted": 8.7 },
          updatedAt: AT,
          nextChangeAt: "2026-02-01T00:00:00.000Z",
        }),
      );
      const claimed = await store.scores.claimDueScoreStates("w1", 50, 60_000, "2026-03-01T00:00:00.000Z");
      expect(claimed.map((c) => c.recordId)).toEqual(["r-due"]);
      expect(claimed[0]).toMatchObject({ fitRules: ["ai/predicted"], fitPoints: { "ai/predicted": 8.7 } });
    });

    it.each([
      ["one record's", "lead-1"],
      ["many records'", ["lead-1", "l1", "l2"]],
    ])("reads %s through the related_id index, not a scan of the records", async (_, about) => {
      const q = activitiesAboutStatement((store as SqlStore).db, (store as SqlStore).d, ws, about).compile();
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
