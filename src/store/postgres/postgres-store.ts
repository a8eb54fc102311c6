/** PostgreSQL adapter: production, several processes sharing one database (DATABASE_URL). */
import { Kysely, PostgresDialect, type RawBuilder, sql } from "kysely";
import pg from "pg";
import type { FieldDef } from "../../crm/fields.js";
import type { Store } from "../ports.js";
import type { SqlDialect } from "../sql/dialect.js";
import type { Database } from "../sql/schema.js";
import { SqlStore } from "../sql/sql-store.js";
import { preparingPool } from "./prepared-statements.js";

const SYSTEM_COLUMNS = new Set(["id", "created_at", "updated_at"]);
/** Arbitrary constant naming the advisory lock that orders event appends. */
const EVENT_LOG_LOCK = 0x4e0ff;

// bigint (count, identity) as numbers: positions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
// timestamptz as the same ISO-8601 UTC strings SQLite stores.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());

function cast(field: FieldDef): RawBuilder<unknown> {
  switch (field.type) {
    case "integer":
    case "number":
      return sql`numeric`;
    case "boolean":
      return sql`boolean`;
    default:
      return sql`text`;
  }
}

export const postgresDialect: SqlDialect = {
  name: "postgres",
  json: (value) => sql`cast(${JSON.stringify(value)} as jsonb)`,
  parseJson: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  jsonText: (column, key) => sql<string | null>`(${sql.ref(column)} ->> ${sql.lit(key)})`,
  utcDay: (column) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`,
  utcHour: (column) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`,
  fieldExpr: (field) => {
    if (SYSTEM_COLUMNS.has(field.name))
      return field.name === "id" ? sql.ref("id") : sql`to_char(${sql.ref(field.name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const type = cast(field);
    return sql`cast(data ->> ${field.name} as ${type})`;
  },
  param: (field, value) => sql`cast(${typeof value === "boolean" ? String(value) : value} as ${cast(field)})`,
  // Under the "C" collation lower() folds ASCII letters only, as SQLite's does.
  lowerAscii: (expr) => sql`lower(${expr} collate "C")`,
  likeInsensitive: (expr, pattern) => sql<boolean>`${expr} ilike ${pattern} escape '\\'`,
  rowLocks: true,
  now: (plusMs = 0) => sql<string>`(clock_timestamp() + make_interval(secs => ${plusMs / 1000}))`,
  // now() is the transaction's start: for the claim, an autocommit statement, the statement's.
  statementNow: () => sql<string>`now()`,
  lockKey: async (db, key) => {
    // A 64-bit hash of the key names the lock; a collision only makes two writers wait in turn.
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
  },
  serverWarnings: async (db) => {
    const { rows } = await sql<{ autovacuum: string; track_counts: string }>`
      select current_setting('autovacuum') as autovacuum, current_setting('track_counts') as track_counts`.execute(db);
    const s = rows[0];
    // Without autovacuum (which needs track_counts) nothing analyzes Handoff's tables: the
    // planner keeps guessing that a workspace holds 0.5 % of a table and reads by id turn into
    // scans of the whole workspace (measured in docs/benchmarks.md, round 5).
    if (s && (s.autovacuum !== "on" || s.track_counts !== "on"))
      return [
        `PostgreSQL's autovacuum is off (autovacuum = ${s.autovacuum}, track_counts = ${s.track_counts}): nothing gathers ` +
          "statistics on Handoff's tables, so reads by id slow down as the tables grow. Turn it on (PostgreSQL's default), " +
          "or run ANALYZE on the database regularly.",
      ];
    return [];
  },
  lockEventLog: async (db) => {
    // Held until commit: event positions are then assigned and committed in the same order,
    // so a reader that has seen position N will never later find a smaller one appear.
    await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`.execute(db);
  },
};

export interface PostgresOptions {
  connectionString: string;
  now: () => string;
  poolSize?: number;
  /** Told about idle connections the server closed; default: ignored (the pool replaces them). */
  onIdleError?: (error: Error) => void;
}

export function openPostgresStore(options: PostgresOptions): Store {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => options.onIdleError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return new SqlStore(db, postgresDialect, options.now);
}
