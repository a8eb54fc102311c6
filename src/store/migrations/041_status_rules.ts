/**
 * 041 — status rules (issue 22; docs/data-quality.md "Status rules"): the admin's rules of when a
 * record's status contradicts its data ("a qualified lead has an owner"), read by the status
 * accuracy KPI (docs/kpis.md). One row per rule, its definition as JSON (engine/status-rules.ts);
 * `name` unique in the workspace, `object` and `enabled` copied out of it; a version moved by
 * every save (If-Match). Nothing on the write path reads them.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function statusRules(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("status_rules")
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
        .addPrimaryKeyConstraint("status_rules_pk", ["workspace_id", "id"])
        .addUniqueConstraint("status_rules_name_uq", ["workspace_id", "name"])
        .execute();
    },
  };
}
