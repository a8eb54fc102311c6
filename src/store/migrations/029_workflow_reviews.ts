/**
 * 029 — workflow reviews and the audit index overrides are counted from (issue 19, item 5:
 * "every workflow has an owner and a review date … overrides are counted per workflow").
 *
 * - `workflow_reviews`: one row per published workflow — its review owner (a user id; null when
 *   nobody is known), the interval in months (3: quarterly), the next review date, and what the
 *   due check has done about it: `notified_for` is the due date whose notification and task were
 *   made (the claim — a conditional update from another value to this due date succeeds once per
 *   due date, whatever the number of workers), `task_id` the task to close when it is reviewed.
 * - `workflow_review_history`: each "mark reviewed" — who, when, the date it was due, the note.
 * - `audit_log_person_at`: people's changes by time, a partial index (person rows only), so the
 *   override count reads the last 30 days of people's changes without scanning the log, and
 *   workflows' writes (the engine's hot path) pay nothing for it.
 *
 * Existing published workflows get a row: the owner is whoever published their first version
 * (when that was a person), the due date that version's publishing date plus the interval.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

const DEFAULT_MONTHS = 3;

export function workflowReviews(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("workflow_reviews")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("owner_id", "text")
        .addColumn("interval_months", "integer", (c) => c.notNull())
        .addColumn("next_review_at", time, (c) => c.notNull())
        .addColumn("notified_for", time)
        .addColumn("task_id", "text")
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("workflow_reviews_pk", ["workspace_id", "workflow_id"])
        .execute();
      // The due check (every workspace) and the overdue list (one workspace) both range-scan the date.
      await db.schema.createIndex("workflow_reviews_due").on("workflow_reviews").columns(["next_review_at"]).execute();

      await db.schema
        .createTable("workflow_review_history")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("reviewed_by", "text", (c) => c.notNull())
        .addColumn("reviewed_at", time, (c) => c.notNull())
        .addColumn("due_at", time, (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("workflow_review_history_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("workflow_review_history_by_workflow")
        .on("workflow_review_history")
        .columns(["workspace_id", "workflow_id", "reviewed_at"])
        .execute();

      await db.schema
        .createIndex("audit_log_person_at")
        .on("audit_log")
        .columns(["workspace_id", "at"])
        .where(sql.ref("actor_kind"), "=", "person")
        .execute();

      // Defaults for the workflows published before this migration.
      const rows = await sql<{ workspace_id: string; workflow_id: string; published_at: string | Date; published_by: string | null }>`
        select v.workspace_id, v.workflow_id, v.published_at, v.published_by
        from workflow_versions v
        join workflows w on w.workspace_id = v.workspace_id and w.id = v.workflow_id
        where v.published_at is not null and w.live_version is not null
        order by v.workspace_id, v.workflow_id, v.version`.execute(db);
      const first = new Map<string, (typeof rows.rows)[number]>();
      for (const r of rows.rows)
        if (!first.has(`${r.workspace_id}\u0000${r.workflow_id}`)) first.set(`${r.workspace_id}\u0000${r.workflow_id}`, r);
      const now = new Date().toISOString();
      for (const r of first.values()) {
        const publishedAt = new Date(r.published_at);
        const due = new Date(publishedAt);
        due.setUTCMonth(due.getUTCMonth() + DEFAULT_MONTHS);
        const owner = r.published_by?.startsWith("person:") ? r.published_by.slice("person:".length) : null;
        await sql`insert into workflow_reviews (workspace_id, workflow_id, owner_id, interval_months, next_review_at, notified_for, task_id, updated_at)
          values (${r.workspace_id}, ${r.workflow_id}, ${owner}, ${DEFAULT_MONTHS}, ${due.toISOString()}, ${null}, ${null}, ${now})`.execute(
          db,
        );
      }
    },
  };
}
