/**
 * 007 — email suppressions: addresses a workspace must not email again (a hard bounce, an
 * unsubscribe, or an admin's decision). One row per (workspace, lower-cased address).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function emailSuppressions(dialect: SqlDialectName): Migration {
  const time = dialect === "postgres" ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("email_suppressions")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ('bounce', 'unsubscribe', 'manual')`))
        .addColumn("detail", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("email_suppressions_pk", ["workspace_id", "email"])
        .execute();
    },
  };
}
