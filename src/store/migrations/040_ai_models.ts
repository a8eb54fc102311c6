/**
 * 040 — AI models (issue 24; docs/ai.md): per workspace, what a model predicts (object, target
 * field), what it reads (its definition: text and value fields, the low-confidence threshold),
 * whether it is on, and what training left (the learned parameters, the held-out quality, the
 * label counts, when and on how many records). Versioned like match rules; name unique per
 * workspace.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function aiModels(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("ai_models")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("definition", json, (c) => c.notNull())
        .addColumn("trained", json)
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("ai_models_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("ai_models_name").on("ai_models").columns(["workspace_id", "name"]).unique().execute();
    },
  };
}
