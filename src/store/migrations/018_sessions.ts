/**
 * 018 — people sign in (issue 14, item 2).
 * - `credentials`: a user's password, as an scrypt hash with its salt and parameters
 *   (`scrypt$N$r$p$salt$hash`), keyed by (workspace_id, user_id); the password itself is never stored.
 * - `sessions`: web sessions, stored as the SHA-256 of the cookie's value (like API tokens), with
 *   their absolute expiry, the last time they were used (idle expiry) and their revocation.
 */
import type { Kysely, Migration } from "kysely";

export function sessions(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("credentials")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("credentials_pk", ["workspace_id", "user_id"])
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addPrimaryKeyConstraint("sessions_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").columns(["workspace_id", "user_id"]).execute();
    },
  };
}
