/**
 * Claiming due rows of a leased queue table (work items, scheduled triggers): pending, due by the
 * database clock, not leased by a live worker. Both tables share the column shape this needs and
 * a partial index on `due_at` of their pending rows; one statement serves both so that the claim
 * that keeps that index usable is written once.
 */
import type { Kysely, Selectable } from "kysely";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

export type LeasedTable = "work_items" | "scheduled_triggers";

type Db = Kysely<Database>;

/**
 * The ids of up to `limit` due rows, oldest first. The due bound is the statement's clock: a
 * volatile clock (PostgreSQL's clock_timestamp()) cannot bound an index range scan, and a claim
 * would read every pending row — 100,000 future timers on each claim. Exported for the test that
 * checks the plan uses the due-time index (engineering.md §3.6).
 */
export function dueRows(db: Db, d: SqlDialect, table: LeasedTable, limit: number) {
  // Both tables have these columns; naming one of them keeps Kysely's column types.
  let due = db
    .selectFrom(table as "work_items")
    .select("id")
    .where("status", "=", "pending")
    .where("due_at", "<=", d.statementNow())
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("due_at")
    .limit(limit);
  if (d.rowLocks) due = due.forUpdate().skipLocked();
  return due;
}

/** The claim statement: leases the due rows to `owner` for `leaseMs`, one attempt more each. */
export function claimStatement(db: Db, d: SqlDialect, table: LeasedTable, owner: string, limit: number, leaseMs: number) {
  return db
    .updateTable(table as "work_items")
    .set((eb) => ({ lease_owner: owner, lease_until: d.now(leaseMs), attempts: eb("attempts", "+", 1) }))
    .where("id", "in", dueRows(db, d, table, limit))
    .returningAll();
}

/** Leases up to `limit` due rows to `owner` and returns them. */
export async function claimDue<T extends LeasedTable>(
  db: Db,
  d: SqlDialect,
  table: T,
  owner: string,
  limit: number,
  leaseMs: number,
): Promise<Selectable<Database[T]>[]> {
  const rows = await claimStatement(db, d, table, owner, limit, leaseMs).execute();
  return rows as Selectable<Database[T]>[];
}

/**
 * How long until the next row of either leased table falls due (the same pending, unleased rows
 * the claim looks at, read in due order from the same index, one row each), by the database clock.
 */
export async function nextDueInMs(db: Db, d: SqlDialect): Promise<number | undefined> {
  let next: number | undefined;
  for (const table of ["work_items", "scheduled_triggers"] as const) {
    const row = await db
      .selectFrom(table as "work_items")
      .select(["due_at"])
      .select(d.statementNow().as("now"))
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
      .orderBy("due_at")
      .limit(1)
      .executeTakeFirst();
    if (!row) continue;
    const inMs = Date.parse(String(row.due_at)) - Date.parse(String(row.now));
    if (Number.isFinite(inMs) && (next === undefined || inMs < next)) next = inMs;
  }
  return next;
}
