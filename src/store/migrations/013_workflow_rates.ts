/**
 * 013 — the rate cap defers instead of dropping (issue 12, items 5 and 8).
 * - `workflow_rates`: one row per workflow, the window of the latest start slot the rate cap has
 *   given out and how many slots of it are taken — an O(1) counter in place of counting the
 *   workflow's runs of the last minute — and when the admins were last told of a growing backlog.
 * - `workflow_log.chain`: the workflows of a chain that a loop stop ended (their ids, in the
 *   chain's order), so that the record's timeline can name them; an index by record for it.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function workflowRates(dialect: SqlDialectName): Migration {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("workflow_rates")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("window_start", "text", (c) => c.notNull())
        .addColumn("used", "integer", (c) => c.notNull())
        .addColumn("alerted_at", "text")
        .addPrimaryKeyConstraint("workflow_rates_pk", ["workspace_id", "workflow_id"])
        .execute();
      await db.schema.alterTable("workflow_log").addColumn("chain", json).execute();
      await db.schema.createIndex("workflow_log_record").on("workflow_log").columns(["workspace_id", "record_id", "seq"]).execute();
    },
  };
}
