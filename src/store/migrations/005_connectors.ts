/**
 * 005 — connectors (a workspace's settings for one outside system: public config, secrets
 * sealed under the master key) and the append-only audit of configuration changes
 * (engineering.md §4.10). Audit rows name which secrets changed, never their values.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function connectors(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const serial = pg ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("connectors")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("config", json, (c) => c.notNull())
        // SecretBox text (`v1.<key id>.…`), or null when the connector has no secrets.
        .addColumn("secrets", "text")
        // The names inside `secrets`, readable without the master key (shown as "set").
        .addColumn("secret_names", json, (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("connectors_pk", ["workspace_id", "id"])
        .addUniqueConstraint("connectors_key", ["workspace_id", "key"])
        .execute();

      await db.schema
        .createTable("config_audit")
        .addColumn("seq", serial)
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_id", "text", (c) => c.notNull())
        .addColumn("request_id", "text")
        .addColumn("entity", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("summary", json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("config_audit_by_workspace").on("config_audit").columns(["workspace_id", "seq"]).execute();
    },
  };
}
