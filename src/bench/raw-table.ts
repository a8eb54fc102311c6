/**
 * The raw-insert ceiling the store benchmarks compare against: single-row inserts into a scratch
 * table, one autocommit transaction each. The table is the benchmark's, not the product's: it is
 * created here in the benchmark's scratch database (outside the migrations) and dropped after.
 *
 * The inserts go through the store's own database handle, so that the ceiling and the store's
 * writes share the driver, its settings (WAL and synchronous=FULL on SQLite) and its pool; that
 * handle is the SQL adapter's, not a port: only a benchmark reaches for it.
 */
import { sql } from "kysely";
import type { Store } from "../store/ports.js";
import { SqlStore } from "../store/sql/sql-store.js";

export interface RawTable {
  insert(payload: string): Promise<void>;
  drop(): Promise<void>;
}

export async function createRawTable(store: Store): Promise<RawTable> {
  if (!(store instanceof SqlStore)) throw new Error("the raw-insert ceiling needs the SQL store");
  const db = store.db;
  const id = store.dialect === "postgres" ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  await sql`create table bench_raw (id ${id}, payload text not null)`.execute(db);
  return {
    async insert(payload) {
      await sql`insert into bench_raw (payload) values (${payload})`.execute(db);
    },
    async drop() {
      await sql`drop table if exists bench_raw`.execute(db);
    },
  };
}
