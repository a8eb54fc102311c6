/**
 * The store's ceiling for the engine's own work (issue 23: "the same rows, written the same
 * way"). Two halves:
 *
 * - Counting (`RowCounter`): triggers on every table of the scratch database append one line per
 *   row inserted, updated or deleted, with the row's size (its JSON; about that on SQLite), to
 *   `bench_writes`. Installed
 *   only for a counting pass of the benchmark — never while it is timed: the counting is itself
 *   a write per row.
 * - Replay (`replaySameRows`): as many rows per table, of the mean size the engine's rows had,
 *   inserted into scratch tables `bench_rows_<table>` (an id and a text payload), one multi-row
 *   insert per table per transaction, in as many transactions as the engine committed and with
 *   its group sizes (read from its commit counters, app/commit-counters.ts). Every row the
 *   engine inserted, updated or deleted becomes one inserted row: an update or a delete is not
 *   cheaper than an insert of its size by enough to matter, and the ceiling stays an upper bound.
 *   The scratch tables carry no secondary index: what the engine's indexes cost is the engine's.
 *
 * Direct SQL on the scratch database goes through `SqlRunner` (engine.ts's `Direct`); the replay
 * goes through the store's own database handle, as the raw ceiling does (raw-table.ts).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import type { Store } from "../store/ports.js";
import { SqlStore } from "../store/sql/sql-store.js";

export interface SqlRunner {
  /** `?` placeholders. */
  all(text: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** Rows written to one table, and their mean size in bytes (as JSON). */
export interface TableWrites {
  rows: number;
  bytes: number;
}

export type Writes = Record<string, TableWrites>;

const IGNORED = /^(bench_|kysely_|sqlite_)/;

async function tablesOf(dialect: "sqlite" | "postgres", db: SqlRunner): Promise<string[]> {
  const rows =
    dialect === "sqlite"
      ? await db.all("select name from sqlite_master where type = 'table'", [])
      : await db.all("select tablename as name from pg_tables where schemaname = current_schema()", []);
  return rows.map((r) => String(r.name)).filter((name) => !IGNORED.test(name));
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class RowCounter {
  private constructor(
    private readonly dialect: "sqlite" | "postgres",
    private readonly db: SqlRunner,
    private readonly triggers: Array<{ name: string; table: string }>,
  ) {}

  /** Installs the counting triggers on every table of the database but the benchmark's own. */
  static async install(dialect: "sqlite" | "postgres", db: SqlRunner): Promise<RowCounter> {
    await db.all("create table if not exists bench_writes (tbl text not null, op text not null, bytes integer not null)", []);
    const tables = await tablesOf(dialect, db);
    const triggers: Array<{ name: string; table: string }> = [];
    if (dialect === "postgres") {
      await db.all(
        `create or replace function bench_count_row() returns trigger language plpgsql as $f$
         begin
           insert into bench_writes (tbl, op, bytes) values (TG_TABLE_NAME, TG_OP,
             octet_length(case when TG_OP = 'DELETE' then row_to_json(OLD)::text else row_to_json(NEW)::text end));
           return null;
         end $f$`,
        [],
      );
      for (const table of tables) {
        const name = `bench_count_${table}`;
        await db.all(
          `create trigger ${quoteId(name)} after insert or update or delete on ${quoteId(table)} for each row execute function bench_count_row()`,
          [],
        );
        triggers.push({ name, table });
      }
    } else {
      for (const table of tables) {
        const columns = (await db.all(`select name from pragma_table_info('${table.replace(/'/g, "''")}')`, [])).map((r) => String(r.name));
        // About the row's size as JSON, as on PostgreSQL: each value's length (a BLOB's in bytes),
        // plus its key and punctuation. (json_object itself refuses BLOBs.)
        const overhead = 2 + columns.reduce((sum, c) => sum + c.length + 6, 0);
        const json = (row: "new" | "old") =>
          `(${overhead} + ${columns.map((c) => `coalesce(length(${row}.${quoteId(c)}), 4)`).join(" + ")})`;
        for (const [op, row] of [
          ["INSERT", "new"],
          ["UPDATE", "new"],
          ["DELETE", "old"],
        ] as const) {
          const name = `bench_count_${table}_${op.toLowerCase()}`;
          await db.all(
            `create trigger ${quoteId(name)} after ${op.toLowerCase()} on ${quoteId(table)} begin
               insert into bench_writes (tbl, op, bytes) values ('${table}', '${op}', ${json(row)});
             end`,
            [],
          );
          triggers.push({ name, table });
        }
      }
    }
    return new RowCounter(dialect, db, triggers);
  }

  /** The rows counted since the last take, by table (inserts, updates and deletes together); starts the count over. */
  async take(): Promise<Writes> {
    const rows = await this.db.all("select tbl, count(*) as n, avg(bytes) as bytes from bench_writes group by tbl", []);
    await this.db.all("delete from bench_writes", []);
    const out: Writes = {};
    for (const r of rows) out[String(r.tbl)] = { rows: Number(r.n), bytes: Math.max(1, Math.round(Number(r.bytes))) };
    return out;
  }

  /** Rows counted since the last take, by table and operation (for the log). */
  async byOperation(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of await this.db.all("select tbl, op, count(*) as n from bench_writes group by tbl, op", [])) {
      const t = out[String(r.tbl)] ?? {};
      t[String(r.op).toLowerCase()] = Number(r.n);
      out[String(r.tbl)] = t;
    }
    return out;
  }

  async remove(): Promise<void> {
    for (const { name, table } of this.triggers)
      await this.db.all(
        this.dialect === "postgres"
          ? `drop trigger if exists ${quoteId(name)} on ${quoteId(table)}`
          : `drop trigger if exists ${quoteId(name)}`,
        [],
      );
    if (this.dialect === "postgres") await this.db.all("drop function if exists bench_count_row()", []);
    await this.db.all("drop table if exists bench_writes", []);
  }
}

/** One phase of the engine's work: the rows it wrote and the sizes of the commits that wrote them. */
export interface Phase {
  writes: Writes;
  /** Items per commit, one entry per commit (the counters' histogram, expanded). */
  commitSizes: number[];
}

/** Rows per table for each commit: the phase's rows spread over its commits in proportion to their items. */
export function planCommits(phase: Phase): Array<Record<string, number>> {
  const sizes = phase.commitSizes.length > 0 ? phase.commitSizes : [1];
  const total = sizes.reduce((a, b) => a + b, 0);
  const out: Array<Record<string, number>> = sizes.map(() => ({}));
  for (const [table, { rows }] of Object.entries(phase.writes)) {
    let items = 0;
    let given = 0;
    sizes.forEach((size, i) => {
      items += size;
      // Cumulative rounding: the commits' shares add up to exactly `rows`.
      const upTo = Math.round((items * rows) / total);
      if (upTo > given) (out[i] as Record<string, number>)[table] = upTo - given;
      given = upTo;
    });
  }
  return out;
}

/** Expands a size histogram (size → commits) into one size per commit. */
export function expandSizes(sizes: Record<number, number> | undefined): number[] {
  const out: number[] = [];
  for (const [size, n] of Object.entries(sizes ?? {})) for (let i = 0; i < n; i++) out.push(Number(size));
  return out;
}

const CHUNK = 500;

export interface Replay {
  seconds: number;
  commits: number;
  /** Rows found in the scratch tables afterwards, by table (the check that the plan was written). */
  written: Record<string, number>;
}

/** Writes the phases' rows, commit by commit, one after another on the store's handle; drops the scratch tables after. */
export async function replaySameRows(store: Store, phases: readonly Phase[]): Promise<Replay> {
  if (!(store instanceof SqlStore)) throw new Error("the same-rows ceiling needs the SQL store");
  const db = store.db;
  const bytes: Record<string, number> = {};
  for (const phase of phases) for (const [table, w] of Object.entries(phase.writes)) bytes[table] = Math.max(bytes[table] ?? 0, w.bytes);
  const scratch = (table: string) => sql.table(`bench_rows_${table}`);
  const id = store.dialect === "postgres" ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  // Random text, so that no row compresses better than the engine's did.
  const payloads: Record<string, string> = {};
  for (const [table, size] of Object.entries(bytes)) {
    payloads[table] = randomBytes(Math.ceil((size * 3) / 4) + 3)
      .toString("base64")
      .slice(0, size);
    await sql`create table ${scratch(table)} (id ${id}, payload text not null)`.execute(db);
  }
  try {
    const plan = phases.flatMap((p) => planCommits(p));
    const start = performance.now();
    for (const commit of plan)
      await db.transaction().execute(async (trx) => {
        for (const [table, rows] of Object.entries(commit)) {
          const payload = payloads[table] as string;
          for (let done = 0; done < rows; done += CHUNK) {
            const values = Array.from({ length: Math.min(CHUNK, rows - done) }, () => sql`(${payload})`);
            await sql`insert into ${scratch(table)} (payload) values ${sql.join(values)}`.execute(trx);
          }
        }
      });
    const seconds = (performance.now() - start) / 1000;
    const written: Record<string, number> = {};
    for (const table of Object.keys(bytes)) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${scratch(table)}`.execute(db);
      written[table] = Number(rows[0]?.n ?? 0);
    }
    return { seconds, commits: plan.length, written };
  } finally {
    for (const table of Object.keys(bytes)) await sql`drop table if exists ${scratch(table)}`.execute(db);
  }
}
