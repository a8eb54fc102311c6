/**
 * 024 — SLA policies and their clocks (issue 17; docs/sla.md, "SLA policies"). Written whole now,
 * with the tables the clock runtime (the next part) writes, so that it needs no second migration.
 *
 * - `sla_policies`: a policy's whole definition is one JSON document (`definition`), read and
 *   written whole; what is looked up or listed has a column beside it (name, object, enabled),
 *   written from the same document by the store. Versioned like queues and rule sets.
 * - `sla_clocks`: one row per clock a policy started on a record. The plan (target, warning,
 *   escalations) and the calendar are copied in when the clock starts, with the policy version:
 *   editing the policy never moves a running clock. At most one clock per (policy, record) is
 *   open (running or paused) — a partial unique index; a stopped clock stays as history, so a
 *   record can get a new clock after one stopped (a ticket reopened and started again).
 *   Due clocks are claimed like timers (work_items, scheduled_triggers): `next_due_at` by the
 *   database clock through a partial index on the running rows, a lease (`lease_owner`,
 *   `lease_until`), and `version` bumped by every write so a worker whose lease was taken over
 *   cannot write over the clock (fencing). A clock's policy cannot be deleted from under it (a
 *   foreign key; the service forgets stopped clocks with their policy and refuses while one is open).
 * - `sla_clock_history`: every change of a clock (started, paused, resumed, retargeted, warned,
 *   breached, escalated, stopped), numbered per clock.
 *
 * Switches are integers (0/1) on both databases, so that one row mapping serves both.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function sla(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("sla_policies")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        // The policy as docs/sla.md writes it: applies_when, starts, stops, target, targets_by,
        // calendar, pause_when, warning, escalations (and the columns above, once more).
        .addColumn("definition", json, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("sla_policies_pk", ["workspace_id", "id"])
        .addUniqueConstraint("sla_policies_name_uq", ["workspace_id", "name"])
        .execute();
      // The runtime's lookup: the enabled policies of an object, on every change of its records.
      await db.schema.createIndex("sla_policies_by_object").on("sla_policies").columns(["workspace_id", "object", "enabled"]).execute();

      await db.schema
        .createTable("sla_clocks")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("policy_id", "text", (c) => c.notNull())
        // The policy version the clock started on (its plan below is that version's).
        .addColumn("policy_version", "integer", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        // running | paused | stopped
        .addColumn("phase", "text", (c) => c.notNull())
        // { target_ms, warning: { fraction } | { before_ms } | null, escalations_after_ms: [] }
        .addColumn("plan", json, (c) => c.notNull())
        // { ref: { name } | { of }, id, name } — the reference and the calendar it resolved to
        // (id and name null: none, open 24×7 in the workspace's zone).
        .addColumn("calendar", json, (c) => c.notNull())
        // Business time consumed up to `since` (running) or up to the pause or stop, in ms.
        .addColumn("consumed_ms", "bigint", (c) => c.notNull())
        .addColumn("since", time, (c) => c.notNull())
        .addColumn("started_at", time, (c) => c.notNull())
        .addColumn("stopped_at", time)
        // The milestone keys already acted on: ["warning", "breach", "level:2"].
        .addColumn("fired", json, (c) => c.notNull())
        // The instant the next milestone falls due; null when paused, stopped or all fired.
        .addColumn("next_due_at", time)
        // Bumped by every write of the row: a stale worker's write over an older version changes nothing.
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addPrimaryKeyConstraint("sla_clocks_pk", ["workspace_id", "id"])
        .addForeignKeyConstraint("sla_clocks_policy_fk", ["workspace_id", "policy_id"], "sla_policies", ["workspace_id", "id"])
        .execute();
      // One open clock per (policy, record); stopped ones are history. Also what counts a policy's open clocks.
      await sql`create unique index sla_clocks_open on sla_clocks (workspace_id, policy_id, record_id) where phase <> 'stopped'`.execute(
        db,
      );
      // The claim of due milestones range-scans running clocks by due time (as work_items_due does).
      await sql`create index sla_clocks_due on sla_clocks (next_due_at) where phase = 'running'`.execute(db);
      // A record's clocks, newest first (the record page, the start and stop checks of the runtime).
      await db.schema.createIndex("sla_clocks_by_record").on("sla_clocks").columns(["workspace_id", "record_id", "started_at"]).execute();
      // Forgetting a policy's stopped clocks with it.
      await db.schema.createIndex("sla_clocks_by_policy").on("sla_clocks").columns(["workspace_id", "policy_id"]).execute();

      await db.schema
        .createTable("sla_clock_history")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("clock_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        // started | paused | resumed | retargeted | warned | breached | escalated | stopped
        .addColumn("kind", "text", (c) => c.notNull())
        // What the change was: the level, the due instant, the old and new target or calendar, the cause.
        .addColumn("detail", json, (c) => c.notNull())
        .addPrimaryKeyConstraint("sla_clock_history_pk", ["workspace_id", "clock_id", "seq"])
        .execute();
    },
  };
}
