/**
 * 032 — validation rules, stage gates and field formats (issue 20; data-quality-ports.ts,
 * docs/data-quality.md "Validation rules", "Stage gates", "Formats").
 *
 * - `validation_rules`: one row per rule or gate, its definition as JSON; `name`, `object`,
 *   `enabled` copied out of it for the list and the name's uniqueness.
 * - `field_formats`: one row per (object, field) an admin chose an action for.
 * - `data_quality_epochs`: one counter per workspace, moved by every change of the two above: the
 *   write path reads it to know whether its compiled rules are current (one point read).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function validationRules(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("validation_rules")
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
        .addPrimaryKeyConstraint("validation_rules_pk", ["workspace_id", "id"])
        .addUniqueConstraint("validation_rules_name_uq", ["workspace_id", "name"])
        .execute();
      await db.schema
        .createTable("field_formats")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .addColumn("on_invalid", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("field_formats_pk", ["workspace_id", "object", "field"])
        .execute();
      await db.schema
        .createTable("data_quality_epochs")
        .addColumn("workspace_id", "text", (c) => c.notNull().primaryKey().references("workspaces.id"))
        .addColumn("epoch", "integer", (c) => c.notNull())
        .execute();
    },
  };
}
