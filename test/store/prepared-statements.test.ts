/**
 * On PostgreSQL the hand-written statements are prepared once per connection (named), other
 * statements are not, and plans stay made for the parameters (no generic plan for id lists).
 */
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/store/postgres/postgres-store.js";
import { preparingPool } from "../../src/store/postgres/prepared-statements.js";
import { direct } from "../../src/store/sql/direct.js";
import type { Database } from "../../src/store/sql/schema.js";
import { createPgDatabase, SKIP_PG } from "../helpers/stores.js";

describe.skipIf(SKIP_PG)("prepared statements on PostgreSQL", () => {
  let drop: () => Promise<void>;
  let url: string;
  let db: Kysely<Database>;

  beforeAll(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    url = created.url;
    const pool = new pg.Pool({ connectionString: created.url, max: 2 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  it("names the statements `direct` sends, once per connection, and only those", async () => {
    await db.connection().execute(async (conn) => {
      const first = await direct<{ x: number }>(conn, postgresDialect, "select cast(? as int) + 1 as x", [41]);
      const again = await direct<{ x: number }>(conn, postgresDialect, "select cast(? as int) + 1 as x", [1]);
      expect(first.rows[0]?.x).toBe(42);
      expect(again.rows[0]?.x).toBe(2);
      await sql`select ${"not prepared"} as y`.execute(conn);
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(conn);
      expect(rows.map((r) => r.statement)).toEqual(["select cast($1 as int) + 1 as x"]);
      expect(rows[0]?.name).toMatch(/^handoff_\d+$/);
      const mode = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(conn);
      expect(mode.rows[0]?.plan_cache_mode).toBe("force_custom_plan");
    });
  });

  it("a table changed under a prepared statement fails it once; the connection then runs unprepared", async () => {
    await sql`create table scratch (id int primary key)`.execute(db);
    await sql`insert into scratch values (1)`.execute(db);
    const read = (conn: Kysely<Database>) => direct<{ id: number }>(conn, postgresDialect, "select * from scratch where id = ?", [1]);
    await db.connection().execute(async (conn) => {
      expect((await read(conn)).rows).toEqual([{ id: 1 }]);
      // Another process migrates meanwhile.
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await other.query("alter table scratch add column note text");
      await other.end();
      await expect(read(conn)).rejects.toMatchObject({ code: "0A000" });
      expect((await read(conn)).rows).toEqual([{ id: 1, note: null }]);
    });
  });
});
