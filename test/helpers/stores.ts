/**
 * Real stores for tests: a SQLite file in a temp directory, and a fresh PostgreSQL database
 * per suite on the server at TEST_DATABASE_URL (default: the local one on 127.0.0.1:5432).
 * PostgreSQL tests are skipped only when HANDOFF_SKIP_PG=1 is set explicitly — CI never sets it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Store } from "../../src/store/ports.js";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const SKIP_PG = process.env.HANDOFF_SKIP_PG === "1";

export interface TestStore {
  store: Store;
  /** What `DATABASE_URL` / `--data-dir` would be for a process that should share this store. */
  location: { databaseUrl?: string; dataDir?: string };
  dispose(): Promise<void>;
}

const now = () => new Date().toISOString();

export function tempDir(prefix = "handoff-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function sqliteTestStore(): Promise<TestStore> {
  const dir = tempDir();
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now });
  await store.migrate();
  return {
    store,
    location: { dataDir: dir },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database on the test server and returns its URL. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `handoff_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // pg-pool's end() resolves before its sockets are closed; dropping "with (force)" then
      // kills live connections and pg raises an unhandled error. Wait for them to go instead.
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

export async function postgresTestStore(): Promise<TestStore> {
  const db = await createPgDatabase();
  const store = openPostgresStore({ connectionString: db.url, now });
  await store.migrate();
  return {
    store,
    location: { databaseUrl: db.url },
    async dispose() {
      await store.close();
      await db.drop();
    },
  };
}

export const STORES: Array<{ name: "sqlite" | "postgres"; open: () => Promise<TestStore>; skip: boolean }> = [
  { name: "sqlite", open: sqliteTestStore, skip: false },
  { name: "postgres", open: postgresTestStore, skip: SKIP_PG },
];
