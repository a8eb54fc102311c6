/**
 * SQLite adapter: the embedded default. One file under the data directory, WAL journal,
 * synchronous=FULL so that an acknowledged write survives a crash of the process or the machine.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, type RawBuilder, SqliteDialect, sql } from "kysely";
import type { FieldDef } from "../../crm/fields.js";
import type { Store } from "../ports.js";
import type { SqlDialect } from "../sql/dialect.js";
import type { Database } from "../sql/schema.js";
import { SqlStore } from "../sql/sql-store.js";

const SYSTEM_COLUMNS = new Set(["id", "created_at", "updated_at"]);

export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  json: (value) => sql`${JSON.stringify(value)}`,
  parseJson: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  fieldExpr: (field: FieldDef) => (SYSTEM_COLUMNS.has(field.name) ? sql.ref(field.name) : sql`json_extract(data, ${`$.${field.name}`})`),
  // better-sqlite3 binds no booleans; json_extract returns 1 / 0 for JSON true / false.
  param: (_field, value): RawBuilder<unknown> => sql`${typeof value === "boolean" ? (value ? 1 : 0) : value}`,
  likeInsensitive: (expr, pattern) => sql<boolean>`${expr} like ${pattern} escape '\\'`,
  rowLocks: false,
  now: (plusMs = 0) => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`${(plusMs / 1000).toFixed(3)} seconds`})`,
  lockEventLog: async () => {},
};

export interface SqliteOptions {
  /** File path, or ":memory:" for tests of pure logic. */
  file: string;
  now: () => string;
}

export function openSqliteStore(options: SqliteOptions): Store {
  if (options.file !== ":memory:") mkdirSync(dirname(options.file), { recursive: true });
  const raw = new BetterSqlite3(options.file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
  // Kysely opens transactions with a plain BEGIN. A deferred transaction that reads and then
  // writes can fail at once with SQLITE_BUSY when another process (the CLI importing while the
  // server runs) holds the write lock; BEGIN IMMEDIATE waits for the lock instead.
  const database = {
    close: () => raw.close(),
    prepare: (text: string) => raw.prepare(text === "begin" ? "begin immediate" : text),
  } as unknown as BetterSqlite3.Database;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return new SqlStore(db, sqliteDialect, options.now);
}
