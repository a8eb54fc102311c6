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
import type { DirectRunner } from "../sql/direct.js";
import type { Database } from "../sql/schema.js";
import { SqlStore } from "../sql/sql-store.js";

const SYSTEM_COLUMNS = new Set(["id", "created_at", "updated_at"]);
/** Prepared statements kept per connection. */
const STATEMENT_CACHE = 500;

export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  json: (value) => sql`${JSON.stringify(value)}`,
  parseJson: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  jsonText: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`,
  utcDay: (column) => sql<string>`substr(${sql.ref(column)}, 1, 10)`,
  utcHour: (column) => sql<string>`substr(${sql.ref(column)}, 1, 13)`,
  fieldExpr: (field: FieldDef) => (SYSTEM_COLUMNS.has(field.name) ? sql.ref(field.name) : sql`json_extract(data, ${`$.${field.name}`})`),
  // better-sqlite3 binds no booleans; json_extract returns 1 / 0 for JSON true / false.
  param: (_field, value): RawBuilder<unknown> => sql`${typeof value === "boolean" ? (value ? 1 : 0) : value}`,
  // SQLite's lower() folds ASCII letters only.
  lowerAscii: (expr) => sql`lower(${expr})`,
  likeInsensitive: (expr, pattern) => sql<boolean>`${expr} like ${pattern} escape '\\'`,
  rowLocks: false,
  now: (plusMs = 0) => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`${(plusMs / 1000).toFixed(3)} seconds`})`,
  statementNow: () => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  lockEventLog: async () => {},
  // BEGIN IMMEDIATE: one write transaction at a time already.
  lockKey: async () => {},
  serverWarnings: async () => [],
};

/**
 * The SQLite dialect with the database clock replaced by `now` (a bound parameter): leases and
 * due-ness are judged by the caller's clock. The sandbox runs on a simulated clock this way, so
 * that its timers, work items and scheduled triggers fall due as simulated time passes.
 */
export function sqliteDialectOnClock(now: () => string): SqlDialect {
  const at = (plusMs = 0) => sql<string>`${new Date(Date.parse(now()) + plusMs).toISOString()}`;
  return { ...sqliteDialect, now: at, statementNow: () => at() };
}

export interface SqliteOptions {
  /** File path, or ":memory:" for tests of pure logic. */
  file: string;
  now: () => string;
  /**
   * How long a statement waits for another connection's lock before failing with SQLITE_BUSY, in
   * ms. Default 10,000: the server's write transactions are short, so a CLI command run beside
   * it waits its turn instead of failing.
   */
  busyTimeoutMs?: number;
  /**
   * Judge leases and due rows by `now` instead of SQLite's own clock (sqliteDialectOnClock): the
   * sandbox's simulated time. Default false.
   */
  clockFromNow?: boolean;
}

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function openSqliteStore(options: SqliteOptions): Store {
  if (options.file !== ":memory:") mkdirSync(dirname(options.file), { recursive: true });
  // better-sqlite3 opens with its own 5 s timeout; set ours first, so that the pragmas below
  // (switching a new file to WAL takes a lock) wait as long as every later statement.
  const raw = new BetterSqlite3(options.file, { timeout: options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS });
  raw.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS)}`);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.pragma("foreign_keys = ON");
  // Kysely opens transactions with a plain BEGIN. A deferred transaction that reads and then
  // writes can fail at once with SQLITE_BUSY when another process (the CLI importing while the
  // server runs) holds the write lock; BEGIN IMMEDIATE waits for the lock instead.
  //
  // Kysely prepares every statement it runs; preparing costs more than running most of ours, so
  // prepared statements are kept by their text (Kysely's SQLite driver never streams, so no two
  // uses of one statement overlap). Statements with IN lists vary in text: bound the cache.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const database = {
    close: () => raw.close(),
    prepare: (text: string) => {
      const sqlText = text === "begin" ? "begin immediate" : text;
      let statement = statements.get(sqlText);
      if (!statement) {
        statement = raw.prepare(sqlText);
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statements.set(sqlText, statement);
      }
      return statement;
    },
  } as unknown as BetterSqlite3.Database;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  // What Kysely's SQLite driver does with a statement, without its per-query connection hand-over.
  const runner: DirectRunner = (text, parameters) => {
    const statement = database.prepare(text);
    if (statement.reader) return { rows: statement.all(...parameters) };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  const dialect = options.clockFromNow ? sqliteDialectOnClock(options.now) : sqliteDialect;
  return new SqlStore(db, dialect, options.now, undefined, runner);
}
