/**
 * 001 — the system of record: workspaces, records, audit log, domain events, custom fields,
 * API tokens, idempotency keys. Immutable once released: change the schema in a new file.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function initial(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const serial = pg ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("workspaces")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("slug", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("time_zone", "text", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("records")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("data", json, (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("records_pk", ["workspace_id", "id"])
        .execute();
      // Lists page through one object by id (ids are time-ordered) within a workspace.
      await db.schema.createIndex("records_object_id").on("records").columns(["workspace_id", "object", "id"]).execute();

      await db.schema
        .createTable("audit_log")
        .addColumn("seq", serial)
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_id", "text", (c) => c.notNull())
        .addColumn("changes", json, (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        .addColumn("request_id", "text")
        .execute();
      await db.schema.createIndex("audit_log_record").on("audit_log").columns(["workspace_id", "record_id", "seq"]).execute();

      await db.schema
        .createTable("events")
        .addColumn("position", serial)
        .addColumn("id", "text", (c) => c.notNull().unique())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("record_version", "integer", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_id", "text", (c) => c.notNull())
        .addColumn("cause_id", "text")
        .addColumn("changes", json, (c) => c.notNull())
        .addColumn("occurred_at", time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_workspace_position").on("events").columns(["workspace_id", "position"]).execute();

      await db.schema
        .createTable("custom_fields")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("required", "integer", (c) => c.notNull())
        .addColumn("options", json)
        .addColumn("created_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("custom_fields_pk", ["workspace_id", "object", "name"])
        .execute();

      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull().unique())
        .addColumn("user_id", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("revoked_at", time)
        .execute();

      await db.schema
        .createTable("idempotency_keys")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("status", "integer")
        .addColumn("response", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["workspace_id", "key"])
        .execute();

      await db.schema
        .createTable("bench_raw")
        .addColumn("id", serial)
        .addColumn("payload", "text", (c) => c.notNull())
        .execute();
    },
  };
}
