/**
 * The few things SQLite and PostgreSQL spell differently. Everything else in store/sql is
 * written once against Kysely; each adapter supplies one of these.
 */
import type { Kysely, RawBuilder } from "kysely";
import type { FieldDef } from "../../crm/fields.js";
import type { Database } from "./schema.js";

export type SqlDialectName = "sqlite" | "postgres";

export interface SqlDialect {
  readonly name: SqlDialectName;
  /** A JSON value as a statement parameter. */
  json(value: unknown): RawBuilder<unknown>;
  /** A JSON column as read back from the driver, as a JS value. */
  parseJson(value: unknown): unknown;
  /**
   * A top-level key of a JSON column as text (null when absent): SQLite's json_extract,
   * PostgreSQL's ->>. For reading a run's current step out of its state.
   */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /**
   * The UTC day (YYYY-MM-DD) of an instant column, for counts grouped by day in the database:
   * SQLite keeps instants as ISO text in UTC, PostgreSQL as timestamptz.
   */
  utcDay(column: string): RawBuilder<string>;
  /** The UTC hour (YYYY-MM-DDTHH) of an instant column, for the KPIs' hourly series (docs/kpis.md "By hour"). */
  utcHour(column: string): RawBuilder<string>;
  /** The typed SQL expression of a field: a column for system fields, a JSON lookup otherwise. */
  fieldExpr(field: FieldDef): RawBuilder<unknown>;
  /** A value as a parameter comparable with fieldExpr(field). */
  param(field: FieldDef, value: unknown): RawBuilder<unknown>;
  /** `expr` with A–Z folded to a–z and nothing else (emails compare so: crm/values.ts `foldEmail`). */
  lowerAscii(expr: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Case-insensitive LIKE with `\` as the escape character. */
  likeInsensitive(expr: RawBuilder<unknown>, pattern: string): RawBuilder<boolean>;
  /**
   * Called inside a transaction just before its events are appended, so that event positions
   * increase in commit order (PostgreSQL: a transaction-scoped advisory lock; SQLite: nothing,
   * it has one writer).
   */
  lockEventLog(db: Kysely<Database>): Promise<void>;
  /**
   * Takes a lock named by `key` until the transaction ends: writers of the same key run one
   * after another. A no-op on SQLite, whose write transactions already do.
   */
  lockKey(db: Kysely<Database>, key: string): Promise<void>;
  /** The database clock as an ISO-8601 instant, `plusMs` ahead: leases and due-ness are judged by it. */
  now(plusMs?: number): RawBuilder<string>;
  /**
   * The database clock, fixed for the whole statement, for comparisons that should bound a range
   * scan of an index on a due time. PostgreSQL's clock_timestamp() (`now` above) is volatile: a
   * claim comparing `due_at <= clock_timestamp()` reads every pending row of the index, however
   * few are due. SQLite's 'now' is fixed per statement already.
   */
  statementNow(): RawBuilder<string>;
  /**
   * Settings of the database server that hurt Handoff, each a sentence for the operator (see
   * Store.serverWarnings). SQLite has no server: none.
   */
  serverWarnings(db: Kysely<Database>): Promise<string[]>;
  /** Whether SELECT … FOR UPDATE exists (SQLite locks the whole database per write transaction instead). */
  readonly rowLocks: boolean;
}
