/**
 * Overrides are counted from people's changes of the last 30 days (docs/workflows.md "Reviews and
 * overrides"): the read must range-scan the partial index audit_log_person_at, not the audit log,
 * which holds every workflow's writes too. With 20,000 rows — most by workflows, a tenth by
 * people — the plan of the statement the store runs is checked on both databases.
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
import { personChangesStatement } from "../../src/store/sql/reviews.js";
import type { Database } from "../../src/store/sql/schema.js";
import { createPgDatabase, SKIP_PG, sqliteTestStore, type TestStore } from "../helpers/stores.js";

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

const ROWS = 20_000;
const FILL = `insert into audit_log (workspace_id, record_id, object, action, actor_kind, actor_id, changes, at)
  select 'w', 'r' || (n % 500), 'lead', 'update', case when n % 10 = 0 then 'person' else 'workflow' end, 'a', '[]', $AT from series`;
const SINCE = new Date(Date.now() - 30 * 86_400_000).toISOString();

describe("override counting reads people's changes through audit_log_person_at", () => {
  describe("SQLite", () => {
    let t: TestStore;
    let raw: BetterSqlite3.Database;
    beforeAll(async () => {
      t = await sqliteTestStore();
      raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
      const at = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (n % 90) || ' days')";
      raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS}) ${FILL.replace("$AT", at)}`);
      raw.exec("analyze");
    });
    afterAll(async () => {
      raw.close();
      await t.dispose();
    });

    it("searches the partial index by workspace and time", () => {
      const q = personChangesStatement(compiler("sqlite"), "w", SINCE, 5000).compile();
      const plan = raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
      expect(plan).toMatch(/SEARCH audit_log USING INDEX audit_log_person_at \(workspace_id=\? AND at>\?\)/);
      expect(plan).not.toMatch(/SCAN audit_log\b(?! USING)/);
    });
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
      await client.query(
        `with series(n) as (select generate_series(1, ${ROWS})) ${FILL.replace("$AT", "now() - make_interval(days => n % 90)")}`,
      );
      await client.query("analyze audit_log");
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    it("scans the partial index by workspace and time", async () => {
      const q = personChangesStatement(compiler("postgres"), "w", SINCE, 5000).compile();
      const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
      const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
      expect(plan).toContain('"Index Name":"audit_log_person_at"');
      expect(plan).not.toMatch(/"Node Type":"Seq Scan"/);
    });
  });
});
