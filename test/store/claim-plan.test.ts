/**
 * engineering.md §3.6: claim queries must read pending rows through the index on their due time,
 * not scan the table. With many rows pending in the future (timers) and many finished, the plan of
 * the claim statement each worker runs several times a second is checked on both databases.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/store/postgres/postgres-store.js";
import { claimStatement, type LeasedTable } from "../../src/store/sql/claim-due.js";
import type { Database } from "../../src/store/sql/schema.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-store.js";
import { createPgDatabase, SKIP_PG, sqliteTestStore, type TestStore } from "../helpers/stores.js";

/** Compiles statements without a connection: the text and parameters the store would send. */
function compiler(kind: "sqlite" | "postgres") {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => (kind === "sqlite" ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (kind === "sqlite" ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (kind === "sqlite" ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

const TABLES: { table: LeasedTable; index: string }[] = [
  { table: "work_items", index: "work_items_due" },
  { table: "scheduled_triggers", index: "scheduled_triggers_due" },
];
const ROWS = 20_000;

/** Rows as a queue looks after a while: most done, many timers pending in the future, a few due. */
const FILL: Record<LeasedTable, string> = {
  work_items: `insert into work_items (workspace_id, run_id, input, status, due_at, attempts, created_at)
    select 'w', 'r' || n, '{}', case when n % 4 = 0 then 'pending' else 'done' end, $DUE, 0, $NOW from series`,
  scheduled_triggers: `insert into scheduled_triggers (workspace_id, workflow_id, version, record_id, due_at, status, attempts, created_at)
    select 'w', 'f', 1, 'r' || n, $DUE, case when n % 4 = 0 then 'pending' else 'fired' end, 0, $NOW from series`,
};

describe("claim plans use the due-time index", () => {
  describe("SQLite", () => {
    let t: TestStore;
    let raw: BetterSqlite3.Database;
    beforeAll(async () => {
      t = await sqliteTestStore();
      raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
      for (const { table } of TABLES) {
        const text = FILL[table]
          .replace("$DUE", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || (n % 1000) || ' minutes')")
          .replace("$NOW", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
        raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS}) ${text}`);
      }
      raw.exec("analyze");
    });
    afterAll(async () => {
      raw.close();
      await t.dispose();
    });

    for (const { table, index } of TABLES) {
      it(`${table}: the claim searches ${index}`, () => {
        const q = claimStatement(compiler("sqlite"), sqliteDialect, table, "w1", 100, 15_000).compile();
        const plan = raw
          .prepare(`explain query plan ${q.sql}`)
          .all(...(q.parameters as unknown[]))
          .map((r) => (r as { detail: string }).detail);
        expect(plan.join("\n")).toMatch(new RegExp(`SEARCH ${table} USING INDEX ${index} \\(due_at<\\?\\)`));
        expect(plan.join("\n")).not.toMatch(new RegExp(`SCAN ${table}\\b(?! USING)`));
      });
    }
  });

  describe.skipIf(SKIP_PG)("PostgreSQL", () => {
    let database: Awaited<ReturnType<typeof createPgDatabase>>;
    let client: pg.Client;
    beforeAll(async () => {
      database = await createPgDatabase();
      const { openPostgresStore } = await import("../../src/store/postgres/postgres-store.js");
      const store = openPostgresStore({ connectionString: database.url, now: () => new Date().toISOString() });
      await store.migrate();
      await store.close();
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
      for (const { table } of TABLES) {
        const text = FILL[table].replace("$DUE", "now() + make_interval(mins => n % 1000)").replace("$NOW", "now()");
        await client.query(`with series(n) as (select generate_series(1, ${ROWS})) ${text}`);
        await client.query(`analyze ${table}`);
      }
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    for (const { table, index } of TABLES) {
      it(`${table}: the claim scans ${index} by due time`, async () => {
        const q = claimStatement(compiler("postgres"), postgresDialect, table, "w1", 100, 15_000).compile();
        const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
        const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
        expect(plan).toContain(`"Index Name":"${index}"`);
        expect(plan).toMatch(/"Index Cond":"\(due_at <= now\(\)\)"/);
        expect(plan).not.toMatch(
          new RegExp(
            `"Node Type":"Seq Scan","Parent Relationship":"[^"]*","Parallel Aware":false,"Async Capable":false,"Relation Name":"${table}"`,
          ),
        );
      });
    }
  });
});
