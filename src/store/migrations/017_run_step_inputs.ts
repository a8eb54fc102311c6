/**
 * 017 — what each run step decided on, enough to feed it to decide() again: the input itself
 * (`run_input`, the RunInput union as JSON; `input` keeps its sentence for the run log and the
 * timeline), the version of the record it saw (`record_version`), a digest of the facts it read
 * (`facts_digest`), and the facts beyond the record that cannot be rebuilt from the audit trail
 * (`facts_seen`: related-record counts and the versions of referenced records; null when the
 * workflow's conditions need none). The record itself is not copied into every step: its
 * version and the audit trail rebuild it, and the digest proves the rebuild. Null on steps
 * logged before this migration. (016 is the removal of the benchmark's table.)
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function runStepInputs(dialect: SqlDialectName): Migration {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("run_steps").addColumn("run_input", json).execute();
      await db.schema.alterTable("run_steps").addColumn("record_version", "integer").execute();
      await db.schema.alterTable("run_steps").addColumn("facts_digest", "text").execute();
      await db.schema.alterTable("run_steps").addColumn("facts_seen", json).execute();
    },
  };
}
