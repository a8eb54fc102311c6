/**
 * 016 — the benchmark's scratch table leaves the production schema (issue 13). 001 created
 * `bench_raw` for the store benchmark's raw-insert ceiling; the benchmark now creates the table
 * it needs in its own scratch database and drops it afterwards (src/bench/raw-table.ts).
 */
import type { Kysely, Migration } from "kysely";

export function dropBenchRaw(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable("bench_raw").ifExists().execute();
    },
  };
}
