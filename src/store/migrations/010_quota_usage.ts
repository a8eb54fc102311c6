/**
 * 010 — quota usage: how many external actions of each quota ("email", "calls") a workflow has
 * put on the outbox in one clock hour (engineering.md §3.10). One row per window, taken with a
 * single guarded upsert, so that concurrent workers never exceed the quota between them.
 */
import type { Kysely, Migration } from "kysely";

export function quotaUsage(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("quota_usage")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("quota", "text", (c) => c.notNull())
        .addColumn("window_start", "text", (c) => c.notNull())
        .addColumn("used", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("quota_usage_pk", ["workspace_id", "workflow_id", "quota", "window_start"])
        .execute();
    },
  };
}
