/**
 * 002 — workflows: versions, the trigger index, runs and their steps, work items (due inputs:
 * continue / timers / events for waiting runs), the event consumer's cursor, the workflow log
 * (suppressions), round-robin rotations and in-app notifications. Events get a causal depth.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function workflows(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const serial = pg ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("events")
        .addColumn("depth", "integer", (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable("workflows")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("live_version", "integer")
        .addColumn("latest_version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("workflows_pk", ["workspace_id", "id"])
        .addUniqueConstraint("workflows_key", ["workspace_id", "key"])
        .execute();

      await db.schema
        .createTable("workflow_versions")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("definition", json, (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("published_at", time)
        .addColumn("since_position", "bigint")
        .addPrimaryKeyConstraint("workflow_versions_pk", ["workspace_id", "workflow_id", "version"])
        .execute();

      // Trigger matching looks up (workspace, object, kind): never a scan of all workflows.
      await db.schema
        .createTable("workflow_triggers")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("since_position", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("workflow_triggers_pk", ["workspace_id", "workflow_id", "kind"])
        .execute();
      await db.schema.createIndex("workflow_triggers_lookup").on("workflow_triggers").columns(["workspace_id", "object", "kind"]).execute();

      await db.schema
        .createTable("runs")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("trigger_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("state", json, (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("depth", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("finished_at", time)
        .addPrimaryKeyConstraint("runs_pk", ["workspace_id", "id"])
        // One run per (workflow, triggering event): enforced here, not by timing.
        .addUniqueConstraint("runs_trigger", ["workspace_id", "workflow_id", "trigger_key"])
        .execute();
      await db.schema.createIndex("runs_record").on("runs").columns(["workspace_id", "record_id", "status"]).execute();
      await db.schema.createIndex("runs_workflow").on("runs").columns(["workspace_id", "workflow_id", "created_at"]).execute();

      await db.schema
        .createTable("run_steps")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("step", "text")
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("input", "text", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("why", "text", (c) => c.notNull())
        .addColumn("effects", json, (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        .addColumn("duration_ms", "real", (c) => c.notNull())
        // Internal effects exactly once: a step's writes commit with this row or not at all.
        .addPrimaryKeyConstraint("run_steps_pk", ["workspace_id", "run_id", "seq"])
        .execute();

      await db.schema
        .createTable("work_items")
        .addColumn("id", serial)
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("input", json, (c) => c.notNull())
        .addColumn("timer_id", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("due_at", time, (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addColumn("last_error", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .execute();
      // The claim query reads pending rows by due time through this index.
      await sql`create index work_items_due on work_items (due_at) where status = 'pending'`.execute(db);
      await db.schema.createIndex("work_items_timer").on("work_items").columns(["workspace_id", "timer_id"]).execute();
      await db.schema.createIndex("work_items_run").on("work_items").columns(["workspace_id", "run_id", "status"]).execute();

      await db.schema
        .createTable("event_cursors")
        .addColumn("consumer", "text", (c) => c.primaryKey())
        .addColumn("position", "bigint", (c) => c.notNull())
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .execute();

      await db.schema
        .createTable("workflow_log")
        .addColumn("seq", serial)
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("record_id", "text")
        .addColumn("event_id", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("workflow_log_workflow").on("workflow_log").columns(["workspace_id", "workflow_id", "seq"]).execute();

      await db.schema
        .createTable("rotations")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("last_user_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("rotations_pk", ["workspace_id", "key"])
        .execute();

      await db.schema
        .createTable("notifications")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("record_id", "text")
        .addColumn("run_id", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("read_at", time)
        .addPrimaryKeyConstraint("notifications_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("notifications_user").on("notifications").columns(["workspace_id", "user_id", "created_at"]).execute();
    },
  };
}
