/**
 * 004 — time-based triggers (relative to a date field, inactivity, cron schedules) as due rows:
 * one pending row per (workflow, record) — or per workflow for schedules — claimed by workers with
 * a lease like work items, judged by the database clock.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function scheduledTriggers(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const time = pg ? sql`timestamptz` : sql`text`;
  const serial = pg ? sql`bigint generated always as identity primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("scheduled_triggers")
        .addColumn("id", serial)
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        // Empty for schedules (they enroll every matching record), else the record that is due.
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("due_at", time, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addColumn("created_at", time, (c) => c.notNull())
        .execute();
      await sql`create index scheduled_triggers_due on scheduled_triggers (due_at) where status = 'pending'`.execute(db);
      await db.schema
        .createIndex("scheduled_triggers_subject")
        .on("scheduled_triggers")
        .columns(["workspace_id", "workflow_id", "record_id", "status"])
        .execute();
    },
  };
}
