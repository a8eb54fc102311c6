/**
 * 006 — the outbox: one row per external effect (an HTTP call, an email, a chat message, a
 * webhook delivery), written in the transaction of the step that decided it and delivered at
 * least once by the dispatcher. Claimed like work items: a lease by the database clock and an
 * attempt counter that fences settling.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function outbox(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const time = pg ? sql`timestamptz` : sql`text`;
  const json = pg ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("outbox")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        // The idempotency key sent on every attempt: `run:step:seq`, or `subscription:event`.
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("connector", "text")
        .addColumn("subscription_id", "text")
        .addColumn("run_id", "text")
        .addColumn("record_id", "text")
        .addColumn("payload", json, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_attempt_at", time, (c) => c.notNull())
        .addColumn("last_error", "text")
        .addColumn("last_status", "integer")
        .addColumn("result", json)
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addColumn("delivered_at", time)
        .addColumn("replayed_by", "text")
        .addColumn("replayed_at", time)
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("outbox_pk", ["workspace_id", "id"])
        // A second enqueue of the same effect (a step re-executed after a crash) is a no-op.
        .addUniqueConstraint("outbox_key", ["workspace_id", "key"])
        .execute();
      // What the dispatcher's claim range-scans: only pending rows, by due time.
      await sql`create index outbox_due on outbox (next_attempt_at) where status = 'pending'`.execute(db);
      // The dead-letter list and its pages: a workspace's rows of one status, newest first.
      await db.schema.createIndex("outbox_list").on("outbox").columns(["workspace_id", "status", "id"]).execute();
    },
  };
}
