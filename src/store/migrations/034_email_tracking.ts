/**
 * 034 — email engagement tracking (issue 21; docs/scoring.md, "Email engagement tracking").
 *
 * - `tracked_emails`: one row per email sent with tracking on, keyed by its outbox item's id: the
 *   record it went to, its subject, its links as sent (JSON array; a click must name one of them)
 *   and the first open (`opened_at`, set once: the claim that makes an open recorded once).
 * - `tracked_email_clicks`: the first click of each (message, link): its primary key is the claim
 *   that makes a click recorded once.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function emailTracking(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("tracked_emails")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("run_id", "text")
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("links", json, (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("opened_at", time)
        .addPrimaryKeyConstraint("tracked_emails_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createTable("tracked_email_clicks")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("message_id", "text", (c) => c.notNull())
        .addColumn("link", "integer", (c) => c.notNull())
        .addColumn("clicked_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("tracked_email_clicks_pk", ["workspace_id", "message_id", "link"])
        .execute();
    },
  };
}
