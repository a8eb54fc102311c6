/**
 * 033 — duplicate detection (issue 20; docs/data-quality.md, "Matching and duplicates", "Scan").
 *
 * - `match_keys`: one row per (record, key). The primary key leads with (workspace, kind, value)
 *   so that "which records hold this key?" is one index range per key; `match_keys_record`
 *   finds a record's keys to replace them on an update.
 * - `match_rules`: the rules per object, versioned, name unique per workspace.
 * - `dedupe_scans`: one-off scans and their progress.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function duplicates(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("match_keys")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("match_keys_pk", ["workspace_id", "kind", "value", "object", "record_id"])
        .execute();
      await db.schema.createIndex("match_keys_record").on("match_keys").columns(["workspace_id", "record_id"]).execute();
      await db.schema
        .createTable("match_rules")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("definition", json, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("match_rules_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("match_rules_name").on("match_rules").columns(["workspace_id", "name"]).unique().execute();
      await db.schema
        .createTable("dedupe_scans")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("done", "integer", (c) => c.notNull())
        .addColumn("pairs_found", "integer", (c) => c.notNull())
        .addColumn("pairs_queued", "integer", (c) => c.notNull())
        .addColumn("started_at", time, (c) => c.notNull())
        .addColumn("started_by", "text", (c) => c.notNull())
        .addColumn("finished_at", time)
        .addColumn("error", "text")
        .addPrimaryKeyConstraint("dedupe_scans_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("dedupe_scans_started").on("dedupe_scans").columns(["workspace_id", "started_at"]).execute();
    },
  };
}
