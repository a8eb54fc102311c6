/**
 * 028 — the acknowledgement of conflict warnings at publish (issue 19, item 4; docs/testing-
 * workflows.md "Conflicts"): when a draft writes a field another live workflow writes with another
 * value, or closes a trigger cycle, publishing needs the admin to acknowledge the warnings, and
 * `workflow_versions.conflicts_acknowledged` keeps who did, when, and the warnings as they were
 * (JSON). Null for drafts and for versions published without warnings. Nullable, no default:
 * PostgreSQL adds it without rewriting the table.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function publishAcknowledgements(dialect: SqlDialectName): Migration {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("workflow_versions").addColumn("conflicts_acknowledged", json).execute();
    },
  };
}
