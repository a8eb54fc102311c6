/**
 * 012 — idempotency keys belong to a caller: the key is (workspace_id, caller, key), and the
 * role the caller had is kept beside it. Before, a key was the workspace's, so another token that
 * sent the same key and body was handed the first caller's stored response (an admin's new token
 * or a hook's signing secret). `caller` names who asked (`token:<id>`; a web session's user fits
 * as `user:<id>`); `caller_role` lets a replay be refused when the caller's role has changed.
 *
 * SQLite cannot change a primary key in place, so the table is rebuilt on both stores. Rows made
 * before this migration are not carried over: nobody can say which caller made them, and keeping
 * them under a made-up caller would replay them to no one anyway. A retry that spans the upgrade
 * runs once more, as a request with a new key would.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function idempotencyCallers(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable("idempotency_keys").execute();
      await db.schema
        .createTable("idempotency_keys")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("caller", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("caller_role", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("response", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("request_id", "text")
        .addPrimaryKeyConstraint("idempotency_keys_caller_pk", ["workspace_id", "caller", "key"])
        .execute();
    },
  };
}
