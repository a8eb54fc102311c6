/**
 * 014 — outbox attempts: one row per delivery attempt of an outbox item (the attempt number, when,
 * the outcome, the receiver's status, the error, when the next one is due), written with the
 * attempt's settlement in one statement's transaction. The run log and the record timeline show
 * them, so an HTTP call that succeeded on its third attempt says so where a person looks.
 * (013 is taken by the workflow rate deferral of issue 12.)
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function outboxAttempts(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("outbox_attempts")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("outbox_id", "text", (c) => c.notNull())
        // Counted from 1; a replayed dead letter counts from 1 again (its `at` tells the rounds apart).
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        // delivered | retry | dead
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("error", "text")
        .addColumn("next_attempt_at", time)
        .addPrimaryKeyConstraint("outbox_attempts_pk", ["workspace_id", "outbox_id", "at", "attempt"])
        .execute();
    },
  };
}
