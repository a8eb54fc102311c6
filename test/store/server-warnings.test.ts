/**
 * Start-up warns about database server settings that hurt Handoff. Today one: PostgreSQL
 * without autovacuum, where nothing analyzes the tables and reads by id degrade as they grow.
 * The expectation follows the test server's own setting (CI's PostgreSQL runs with it off).
 */
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/composition/config.js";
import { compose, type Services } from "../../src/composition/root.js";
import { createPgDatabase, PG_ADMIN_URL, SKIP_PG, sqliteTestStore, tempDir } from "../helpers/stores.js";

async function serverAutovacuum(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    const r = await c.query("select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on' as on");
    return r.rows[0].on === true;
  } finally {
    await c.end();
  }
}

describe("server warnings on sqlite", () => {
  it("has none: there is no server", async () => {
    const t = await sqliteTestStore();
    try {
      expect(await t.store.serverWarnings()).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});

describe.skipIf(SKIP_PG)("server warnings on postgres", () => {
  let db: { url: string; drop(): Promise<void> };
  let services: Services | undefined;
  const logged: Array<{ level: number; msg: string }> = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    const logger = pino({ level: "warn" }, { write: (line: string) => logged.push(JSON.parse(line)) });
    services = await compose(loadConfig({}, { databaseUrl: db.url, dataDir: tempDir(), logLevel: "warn" }), logger);
  });

  afterAll(async () => {
    await services?.store.close();
    await db.drop();
  });

  it("names autovacuum exactly when the server runs without it", async () => {
    const warnings = await services?.store.serverWarnings();
    if (await serverAutovacuum()) expect(warnings).toEqual([]);
    else {
      expect(warnings).toHaveLength(1);
      expect(warnings?.[0]).toMatch(/autovacuum is off .* ANALYZE/);
    }
  });

  it("logs each warning once at start-up, at warn level", async () => {
    const expected = (await services?.store.serverWarnings()) ?? [];
    expect(logged.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(expected);
  });
});
