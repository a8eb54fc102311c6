/**
 * 030 — the data review queue (issue 20; docs/data-quality.md, "The review queue"): records that
 * passed a `warn` rule or format, records missing a required field, suspected duplicate pairs and
 * records a workflow queued, each with its reason, an assignee and how it was closed.
 *
 * - `review_queue_open_uq`: one OPEN item per subject key (review-queue-ports.ts): the same
 *   problem is queued once while it is open, whatever the number of writers — a partial unique
 *   index, so a closed item does not stop the problem from being queued again.
 * - `review_queue_subject`: "was this pair dismissed?" on every duplicate check.
 * - `review_queue_list`: the queue page, newest first per status.
 * - `review_queue_record` / `review_queue_other`: a record's items (either side of a pair).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function reviewQueue(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("review_queue_items")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject_key", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("other_record_id", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("detail", json, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("resolution", "text")
        .addColumn("assignee_id", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("resolved_at", time)
        .addColumn("resolved_by", "text")
        .addColumn("note", "text")
        .addPrimaryKeyConstraint("review_queue_items_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("review_queue_open_uq")
        .on("review_queue_items")
        .columns(["workspace_id", "subject_key"])
        .unique()
        .where(sql.ref("status"), "=", "open")
        .execute();
      await db.schema
        .createIndex("review_queue_subject")
        .on("review_queue_items")
        .columns(["workspace_id", "subject_key", "status"])
        .execute();
      await db.schema
        .createIndex("review_queue_list")
        .on("review_queue_items")
        .columns(["workspace_id", "status", "created_at", "id"])
        .execute();
      await db.schema.createIndex("review_queue_record").on("review_queue_items").columns(["workspace_id", "record_id"]).execute();
      await db.schema.createIndex("review_queue_other").on("review_queue_items").columns(["workspace_id", "other_record_id"]).execute();
    },
  };
}
