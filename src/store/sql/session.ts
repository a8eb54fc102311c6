/**
 * What every port implementation works over: the database handle (the pool, or a transaction's
 * connection), the dialect, the clock, and — inside a transaction — its unit of work.
 */
import type { Kysely } from "kysely";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";
import type { UnitOfWork } from "./unit-of-work.js";

export interface SqlSession {
  readonly db: Kysely<Database>;
  readonly d: SqlDialect;
  readonly now: () => string;
  /** The transaction's unit of work; undefined on the store itself (committed reads, autocommit writes). */
  readonly uow: UnitOfWork | undefined;
}
